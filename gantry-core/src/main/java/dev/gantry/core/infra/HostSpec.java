package dev.gantry.core.infra;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.definition.Names;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Objects;
import java.util.Optional;

/**
 * One host of the infrastructure: how to reach it, its properties in order, the systems it
 * runs, and how it is provisioned. Built fluently inside {@link InfrastructureDefinition}.
 *
 * <pre>{@code
 * i.host("ci.example.com").address("203.0.113.7").user("admin").role("ci")
 *  .with(Git.installed(), Docker.installed());
 * }</pre>
 */
public final class HostSpec {
  private final String name;
  private String address;
  private int sshPort = 22;
  private String user = "root";
  private String role = "";
  private final Set<String> tags = new LinkedHashSet<>();
  private Provisioning provisioning;
  private final List<HostProperty> properties = new ArrayList<>();
  private final List<Deployment> deployments = new ArrayList<>();

  HostSpec(String name) {
    this.name = name;
  }

  /** Adds properties, kept in the order given. */
  public HostSpec with(HostProperty... props) {
    for (HostProperty p : props) {
      properties.add(Objects.requireNonNull(p, () -> "host '" + name + "': a property is null"));
    }
    return this;
  }

  /** Runs {@code system} on this host at {@code release}. */
  public HostSpec runs(Deployable system, String release) {
    deployments.removeIf(d -> d.system().name().equals(system.name()));
    deployments.add(new Deployment(system, release));
    return this;
  }

  /** The address to connect to when it differs from the name (an IP, or a lab address). */
  public HostSpec address(String address) {
    this.address = address;
    return this;
  }

  /** The SSH port, 22 by default. */
  public HostSpec sshPort(int port) {
    if (port < 1 || port > 65535) {
      throw new DefinitionError("host '" + name + "': ssh port " + port + " is not in 1..65535");
    }
    this.sshPort = port;
    return this;
  }

  /** The SSH user; root by default, otherwise a user with password-less sudo. */
  public HostSpec user(String user) {
    this.user = Objects.requireNonNull(user, "user");
    return this;
  }

  /** A free-form role recorded in the hosts registry, e.g. {@code "production"}. */
  public HostSpec role(String role) {
    this.role = Objects.requireNonNull(role, "role");
    return this;
  }

  /**
   * Free-form tags for choosing hosts on the command line ({@code --tag eu}), beside the
   * one role, e.g. {@code tags("eu", "web")}; a tag follows the rule of {@link Names}.
   */
  public HostSpec tags(String... tags) {
    for (String t : tags) {
      if (!Names.isValid(t)) {
        throw new DefinitionError("host '" + name + "': tag '" + t
            + "' must be letters, digits, '.', '_' or '-'");
      }
      this.tags.add(t);
    }
    return this;
  }

  /** How the host is created when missing ({@code gantry cloud up}). */
  public HostSpec provisionedBy(Provisioning provisioning) {
    this.provisioning = Objects.requireNonNull(provisioning, "provisioning");
    return this;
  }

  public String name() {
    return name;
  }

  /** The address to connect to: the one given, else the name. */
  public String address() {
    return address == null ? name : address;
  }

  public int sshPort() {
    return sshPort;
  }

  public String user() {
    return user;
  }

  public String role() {
    return role;
  }

  public Set<String> tags() {
    return Collections.unmodifiableSet(tags);
  }

  public Optional<Provisioning> provisioning() {
    return Optional.ofNullable(provisioning);
  }

  public List<HostProperty> properties() {
    return Collections.unmodifiableList(properties);
  }

  public List<Deployment> deployments() {
    return Collections.unmodifiableList(deployments);
  }
}

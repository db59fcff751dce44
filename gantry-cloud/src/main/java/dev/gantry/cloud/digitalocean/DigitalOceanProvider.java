package dev.gantry.cloud.digitalocean;

import dev.gantry.cloud.digitalocean.api.CreatedDroplet;
import dev.gantry.cloud.digitalocean.http.DigitalOceanException;
import dev.gantry.cloud.digitalocean.model.Action;
import dev.gantry.cloud.digitalocean.model.Droplet;
import dev.gantry.cloud.digitalocean.model.DropletRequest;
import dev.gantry.cloud.provider.Machine;
import dev.gantry.cloud.provider.Provider;
import dev.gantry.cloud.provision.DigitalOceanProvisioning;
import dev.gantry.cloud.ssh.SshProbe;
import dev.gantry.core.UserError;
import dev.gantry.core.infra.HostSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Hosts as DigitalOcean droplets, one droplet per host name. A create waits for its action;
 * if the action errors or times out the droplet is deleted, so nothing half-made remains.
 *
 * <pre>{@code
 * Provider p = new DigitalOceanProvider(client, digitalOcean().region("sgp1").size("s-1vcpu-1gb").image("debian-12-x64"));
 * Machine m = p.create(i.requireHost("web1"), System.out::println);
 * }</pre>
 */
public final class DigitalOceanProvider implements Provider {
  private final DigitalOceanClient client;
  private final DigitalOceanProvisioning spec;
  private final Duration createTimeout;
  private final SshProbe probe;
  private final InstantSource clock;
  private final Duration pollEvery;

  public DigitalOceanProvider(DigitalOceanClient client, DigitalOceanProvisioning spec) {
    this(client, spec, Duration.ofMinutes(10), new SshProbe(), InstantSource.system(), Duration.ofSeconds(5));
  }

  public DigitalOceanProvider(DigitalOceanClient client, DigitalOceanProvisioning spec, Duration createTimeout,
      SshProbe probe, InstantSource clock, Duration pollEvery) {
    this.client = client;
    this.spec = spec;
    this.createTimeout = createTimeout;
    this.probe = probe;
    this.clock = clock;
    this.pollEvery = pollEvery;
  }

  @Override
  public String kind() {
    return "digitalocean";
  }

  @Override
  public Optional<Machine> find(String name) {
    List<Droplet> found = client.droplets().findByName(name);
    if (found.size() > 1) {
      throw new UserError(found.size() + " droplets are called '" + name + "' (ids "
          + found.stream().map(d -> String.valueOf(d.id())).collect(Collectors.joining(", "))
          + "); Gantry needs exactly one per host: delete or rename the others");
    }
    return found.stream().findFirst().map(this::machine);
  }

  /** Differences between an existing droplet and what the definition asks for, one line each. */
  public List<String> drift(Machine machine) {
    Droplet d = client.droplets().get(Long.parseLong(machine.id()));
    List<String> out = new ArrayList<>();
    if (spec.region() != null && !spec.region().equals(d.regionSlug())) {
      out.add("region is " + d.regionSlug() + ", the definition says " + spec.region());
    }
    if (spec.size() != null && !spec.size().equals(d.sizeSlug())) {
      out.add("size is " + d.sizeSlug() + ", the definition says " + spec.size());
    }
    return out;
  }

  @Override
  public Machine create(HostSpec host, Consumer<String> progress) {
    requireComplete(host.name());
    Optional<Machine> existing = find(host.name());
    if (existing.isPresent()) {
      throw new UserError("a droplet called '" + host.name() + "' exists already (id " + existing.get().id()
          + "); `gantry cloud up " + host.name() + "` uses it, `gantry cloud down " + host.name() + "` removes it");
    }
    progress.accept("creating droplet " + host.name() + " in " + spec.region() + " (" + spec.size() + ", " + spec.image() + ")");
    CreatedDroplet created = client.droplets().create(new DropletRequest(host.name(), spec.region(), spec.size(),
        spec.image(), spec.sshKeys(), spec.tags(), userData(host), spec.vpcUuid()));
    long id = created.droplet().id();
    try {
      if (created.createActionId().isPresent()) {
        Action action = client.actions().get(created.createActionId().get());
        client.actions().await(action, createTimeout, p -> progress.accept("droplet " + host.name() + ": " + p.describe()));
      }
    } catch (RuntimeException e) {
      removeHalfMade(id, host.name(), progress);
      throw e;
    }
    return machine(client.droplets().get(id));
  }

  @Override
  public Machine awaitSsh(Machine machine, int port, Duration timeout, Consumer<String> progress) {
    Instant deadline = clock.instant().plus(timeout);
    Droplet d = client.droplets().get(Long.parseLong(machine.id()));
    while (!d.status().equals("active") || d.publicIpv4().isEmpty()) {
      if (!clock.instant().isBefore(deadline)) {
        throw new UserError("droplet '" + machine.name() + "' is still " + d.status() + " without a public address after "
            + timeout.toSeconds() + " s");
      }
      progress.accept("droplet " + machine.name() + " is " + d.status() + ", waiting for its address");
      sleep();
      d = client.droplets().get(d.id());
    }
    String address = d.publicIpv4().get();
    Duration left = Duration.between(clock.instant(), deadline);
    probe.await(address, port, left.isNegative() ? Duration.ZERO : left, progress);
    return machine(d);
  }

  @Override
  public boolean destroy(String name, Consumer<String> progress) {
    Optional<Machine> m = find(name);
    if (m.isEmpty()) {
      return false;
    }
    progress.accept("deleting droplet " + name + " (id " + m.get().id() + ")");
    client.droplets().delete(Long.parseLong(m.get().id()));
    return true;
  }

  private void requireComplete(String host) {
    List<String> missing = new ArrayList<>();
    if (spec.region() == null) {
      missing.add("region(\"sgp1\")");
    }
    if (spec.size() == null) {
      missing.add("size(\"s-1vcpu-1gb\")");
    }
    if (spec.image() == null) {
      missing.add("image(\"debian-12-x64\")");
    }
    if (!missing.isEmpty()) {
      throw new UserError("host '" + host + "': digitalOcean() needs " + String.join(", ", missing)
          + " in infra/Infra.java (see `gantry cloud regions|sizes|images`)");
    }
  }

  /** For a non-root SSH user, cloud-init makes the user with password-less sudo and root's keys. */
  private String userData(HostSpec host) {
    if (spec.userData() != null || host.user().equals("root")) {
      return spec.userData();
    }
    String u = host.user();
    return "#cloud-config\n"
        + "users:\n"
        + "  - default\n"
        + "  - name: " + u + "\n"
        + "    shell: /bin/bash\n"
        + "    sudo: \"ALL=(ALL) NOPASSWD:ALL\"\n"
        + "runcmd:\n"
        + "  - [sh, -c, \"install -d -m 700 -o " + u + " -g " + u + " /home/" + u + "/.ssh && install -m 600 -o " + u
        + " -g " + u + " /root/.ssh/authorized_keys /home/" + u + "/.ssh/authorized_keys\"]\n";
  }

  private void removeHalfMade(long id, String name, Consumer<String> progress) {
    progress.accept("droplet " + name + " did not come up; deleting it (id " + id + ")");
    try {
      client.droplets().delete(id);
    } catch (DigitalOceanException e) {
      progress.accept("could not delete droplet " + id + ": " + e.getMessage() + "; delete it with `gantry cloud down " + name + "`");
    }
  }

  private void sleep() {
    try {
      Thread.sleep(pollEvery);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while waiting for a droplet");
    }
  }

  private Machine machine(Droplet d) {
    return new Machine(d.name(), kind(), String.valueOf(d.id()), d.publicIpv4(), d.status());
  }
}

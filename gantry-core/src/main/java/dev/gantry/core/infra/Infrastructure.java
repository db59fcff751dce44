package dev.gantry.core.infra;

import dev.gantry.core.UserError;
import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.definition.Names;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole infrastructure as declared by an {@link InfrastructureDefinition}: hosts by
 * name, and the other capabilities' declarations (systems, monitoring, probes).
 *
 * <pre>{@code
 * Infrastructure infra = Infrastructure.of(new Infra());
 * HostSpec prod = infra.requireHost("prod.example.com");
 * }</pre>
 */
public final class Infrastructure {
  private final Map<String, HostSpec> hosts = new LinkedHashMap<>();
  private final List<Declaration> declarations = new ArrayList<>();

  /** Runs the definition and returns what it declared. */
  public static Infrastructure of(InfrastructureDefinition definition) {
    Infrastructure infra = new Infrastructure();
    definition.define(infra);
    return infra;
  }

  /** The host called {@code name}, created on first mention; the name follows {@link Names}. */
  public HostSpec host(String name) {
    return hosts.computeIfAbsent(Names.require("host", name), HostSpec::new);
  }

  /**
   * Adds a declaration and returns it, so it can be referred to later; one whose
   * {@link Declaration#uniqueName} another of its kind has is refused.
   */
  public <D extends Declaration> D add(D declaration) {
    declaration.uniqueName().ifPresent(name -> {
      boolean taken = declarations.stream().anyMatch(o -> o != declaration && o.kind().equals(declaration.kind())
          && o.uniqueName().equals(declaration.uniqueName()));
      if (taken) {
        throw new DefinitionError(declaration.kind() + " '" + name + "' is declared twice");
      }
    });
    declarations.add(declaration);
    return declaration;
  }

  /** Every host in declaration order. */
  public List<HostSpec> hosts() {
    return List.copyOf(hosts.values());
  }

  public Optional<HostSpec> findHost(String name) {
    return Optional.ofNullable(hosts.get(name));
  }

  /** The host called {@code name}, or a {@link UserError} listing the known hosts. */
  public HostSpec requireHost(String name) {
    HostSpec h = hosts.get(name);
    if (h == null) {
      throw new UserError("unknown host '" + name + "'; the definition declares: "
          + (hosts.isEmpty() ? "no hosts" : String.join(", ", hosts.keySet())));
    }
    return h;
  }

  /** The declarations of the given type, in order. */
  public <D> List<D> declarations(Class<D> type) {
    List<D> out = new ArrayList<>();
    for (Declaration d : declarations) {
      if (type.isInstance(d)) {
        out.add(type.cast(d));
      }
    }
    return Collections.unmodifiableList(out);
  }
}

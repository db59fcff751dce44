package dev.gantry.core.infra;

import java.util.Optional;

/**
 * Something a capability lets the infrastructure definition declare besides hosts: a
 * containerized system, monitoring rules, probes. Each capability defines its own
 * declaration types and reads them back with {@link Infrastructure#declarations(Class)}.
 *
 * <pre>{@code
 * record Probe(String name) implements Declaration {
 *   public Optional<String> uniqueName() { return Optional.of(name); }
 *   public String kind() { return "probe"; }
 * }
 * }</pre>
 */
public interface Declaration {
  /** A name no other declaration of the same {@link #kind} may have; empty when alike ones are fine. */
  default Optional<String> uniqueName() {
    return Optional.empty();
  }

  /** What this is called in messages, e.g. {@code "system"}. */
  default String kind() {
    return getClass().getSimpleName();
  }
}

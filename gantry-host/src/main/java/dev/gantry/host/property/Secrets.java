package dev.gantry.host.property;

import java.util.Map;
import java.util.Optional;

/**
 * The secrets available while applying properties (sent by the spin over SSH, held only
 * in memory). References are already resolved to the host's name.
 */
@FunctionalInterface
public interface Secrets {
  Optional<String> get(SecretRef ref);

  static Secrets none() {
    return ref -> Optional.empty();
  }

  static Secrets of(Map<SecretRef, String> values) {
    Map<SecretRef, String> copy = Map.copyOf(values);
    return ref -> Optional.ofNullable(copy.get(ref));
  }
}

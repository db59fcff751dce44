package dev.gantry.deploy.secrets;

import java.util.Optional;

/**
 * Where the values of a service's secrets come from at deploy time (the vault). Values
 * go only into mode-0600 env files on the host, never into the compose file or a message.
 *
 * <pre>{@code
 * SecretSource vault = key -> Optional.ofNullable(decrypted.get(key));
 * }</pre>
 */
@FunctionalInterface
public interface SecretSource {
  /** The secret called {@code key}, or empty when there is none. */
  Optional<String> secret(String key);

  /** A source that has no secrets; systems declaring secrets fail with a clear error. */
  static SecretSource none() {
    return key -> Optional.empty();
  }
}

package dev.gantry.cloud.provider;

import dev.gantry.core.infra.HostSpec;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Makes and removes machines for hosts. Machines are found by the host's name, so creating
 * is idempotent: {@code gantry cloud up} asks {@link #find} first.
 *
 * <pre>{@code
 * Machine m = provider.find(host.name()).orElseGet(() -> provider.create(host, progress));
 * m = provider.awaitSsh(m, host.sshPort(), Duration.ofMinutes(5), progress);
 * }</pre>
 */
public interface Provider {
  /** A short name for messages and the hosts registry: {@code digitalocean}, {@code lab}. */
  String kind();

  /** The machine made for {@code name}, if there is one. */
  Optional<Machine> find(String name);

  /**
   * Creates a machine for {@code host}. On failure nothing is left behind.
   *
   * @throws dev.gantry.core.UserError when the name is taken or the request is refused
   */
  Machine create(HostSpec host, Consumer<String> progress);

  /** Waits until the machine answers SSH on {@code port}; returns it with its address. */
  Machine awaitSsh(Machine machine, int port, Duration timeout, Consumer<String> progress);

  /** Destroys the machine made for {@code name}; returns false when there was none. */
  boolean destroy(String name, Consumer<String> progress);
}

package dev.gantry.host.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to connect: the known_hosts file that host keys are checked against, the private
 * keys to offer, whether an unknown host key may be accepted (and recorded), and the
 * connect timeout.
 *
 * <pre>{@code
 * SshOptions o = SshOptions.defaults().withIdentity(Path.of("/home/me/.ssh/deploy_ed25519"));
 * }</pre>
 */
public record SshOptions(Path knownHosts, List<Path> identities, boolean acceptNewHostKey, Duration connectTimeout) {
  public SshOptions {
    identities = List.copyOf(identities);
  }

  /** How long connecting and logging in may take unless told otherwise. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** {@code ~/.ssh/known_hosts}, the usual {@code ~/.ssh/id_*} keys that exist, unknown keys refused, 10 s. */
  public static SshOptions defaults() {
    Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
    List<Path> keys = List.of("id_ed25519", "id_ecdsa", "id_rsa").stream()
        .map(ssh::resolve).filter(Files::isRegularFile).toList();
    return new SshOptions(ssh.resolve("known_hosts"), keys, false, DEFAULT_CONNECT_TIMEOUT);
  }

  public SshOptions withKnownHosts(Path file) {
    return new SshOptions(file, identities, acceptNewHostKey, connectTimeout);
  }

  /** Offers only this key. */
  public SshOptions withIdentity(Path key) {
    return new SshOptions(knownHosts, List.of(key), acceptNewHostKey, connectTimeout);
  }

  public SshOptions acceptingNewHostKey(boolean accept) {
    return new SshOptions(knownHosts, identities, accept, connectTimeout);
  }

  /** Connecting and logging in must finish within {@code timeout} (positive). */
  public SshOptions withConnectTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new dev.gantry.core.UserError("the SSH connect timeout (--connect-timeout) must be more than 0");
    }
    return new SshOptions(knownHosts, identities, acceptNewHostKey, timeout);
  }
}

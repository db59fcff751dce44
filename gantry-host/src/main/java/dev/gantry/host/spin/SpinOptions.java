package dev.gantry.host.spin;

import dev.gantry.host.ssh.SshOptions;
import dev.gantry.host.vault.Decryptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How to spin: dry run or not, how many hosts at once, SSH settings, where the runtime is
 * cached, how vault entries are decrypted (asked only when a host uses a secret), how
 * long to wait for a host's lock, and whether new files of the definition are committed.
 */
public record SpinOptions(boolean dryRun, int parallel, SshOptions ssh, Path runtimeCache,
                          Supplier<Decryptor> decryptor, Duration lockWait, boolean commitDefinition) {
  public SpinOptions {
    if (parallel < 1) {
      throw new IllegalArgumentException("--parallel must be at least 1");
    }
  }

  /** Options that leave the definition's new files uncommitted. */
  public SpinOptions(boolean dryRun, int parallel, SshOptions ssh, Path runtimeCache, Supplier<Decryptor> decryptor,
                     Duration lockWait) {
    this(dryRun, parallel, ssh, runtimeCache, decryptor, lockWait, false);
  }

  /** The default runtime cache, {@code ~/.cache/gantry/runtime}. */
  public static Path defaultCache() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("gantry").resolve("runtime");
  }
}

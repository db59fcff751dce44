package dev.gantry.cloud.lab;

import dev.gantry.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Debian tree every lab host starts from (read-only below each host's overlay). Chosen
 * in order: the definition's {@code lab().rootfs(dir)}, {@code GANTRY_LAB_ROOTFS}, the shared
 * test cache made by {@code scripts/test-rootfs}, else one made here once with
 * {@code debootstrap} under the data directory.
 */
final class BaseRootfs {
  static final Path TEST_CACHE = Path.of("/var/cache/gantry-test/bookworm");
  private static final String PACKAGES = "openssh-server,sudo,python3,ca-certificates,procps,iproute2,locales,cron";

  private final Path dataDir;
  private final Map<String, String> env;

  BaseRootfs(Path dataDir, Map<String, String> env) {
    this.dataDir = dataDir;
    this.env = env;
  }

  Path resolve(Optional<Path> declared, Consumer<String> progress) {
    if (declared.isPresent()) {
      return requireTree(declared.get(), "lab().rootfs(...)");
    }
    String fromEnv = env.get("GANTRY_LAB_ROOTFS");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return requireTree(Path.of(fromEnv), "GANTRY_LAB_ROOTFS");
    }
    if (Files.isRegularFile(TEST_CACHE.resolve(".gantry-ready"))) {
      return TEST_CACHE;
    }
    Path own = dataDir.resolve("cloud/lab/base/bookworm");
    if (Files.isRegularFile(own.resolve(".gantry-ready"))) {
      return own;
    }
    return build(own, progress);
  }

  private static Path requireTree(Path dir, String where) {
    if (!Files.isExecutable(dir.resolve("usr/sbin/sshd"))) {
      throw new UserError(where + ": " + dir + " is not a Debian root filesystem with openssh-server (no usr/sbin/sshd)");
    }
    return dir.toAbsolutePath();
  }

  private Path build(Path dir, Consumer<String> progress) {
    if (Exec.attempt(Duration.ofSeconds(10), java.util.List.of("sh", "-c", "command -v debootstrap")).exitCode() != 0) {
      throw new UserError("the lab needs a Debian root filesystem: install debootstrap (apt-get install debootstrap) "
          + "or set GANTRY_LAB_ROOTFS to a prepared one");
    }
    progress.accept("making the lab's Debian root filesystem in " + dir + " (once, about a minute)");
    Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
    Exec.run(Duration.ofSeconds(5), "rm", "-rf", "--one-file-system", tmp.toString());
    Exec.run(Duration.ofMinutes(15), "debootstrap", "--variant=minbase", "--include=" + PACKAGES, "bookworm",
        tmp.toString(), mirror());
    Exec.run("sh", "-c", "rm -f '" + tmp + "'/etc/ssh/ssh_host_* && touch '" + tmp + "/.gantry-ready'");
    Exec.run("mv", tmp.toString(), dir.toString());
    return dir;
  }

  /** The Debian mirror this machine's apt uses. */
  private static String mirror() {
    String found = Exec.attempt(Duration.ofSeconds(5), java.util.List.of("sh", "-c",
        "sed -n 's/^URIs: *\\(http[^ ]*debian\\)$/\\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1;"
            + "awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null")).stdout().strip();
    return found.isEmpty() ? "http://deb.debian.org/debian" : found.split("\n")[0].strip();
  }
}

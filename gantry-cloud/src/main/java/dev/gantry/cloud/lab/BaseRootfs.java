package dev.gantry.cloud.lab;

import dev.gantry.core.UserError;
import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The Debian tree every lab machine boots (read-only below each machine's overlay, so it is
 * shared copy-on-write): systemd as init, dbus, sshd and what a Docker host needs first. Chosen
 * in order: the definition's {@code lab().rootfs(dir)}, {@code GANTRY_LAB_ROOTFS}, the shared
 * test cache made by {@code scripts/lab-rootfs}, else one made here once with
 * {@code debootstrap} under the data directory.
 */
final class BaseRootfs {
  static final Path TEST_CACHE = Path.of("/var/cache/gantry-test/bookworm-machine");
  /** The same list as scripts/lab-rootfs. */
  static final String PACKAGES = "systemd,systemd-sysv,dbus,openssh-server,sudo,ca-certificates,procps,iproute2,"
      + "iptables,kmod,locales,python3,cron,less";
  /** Units with nothing to do in a machine whose namespace has no route out. */
  static final List<String> MASKED = List.of("systemd-timesyncd.service", "apt-daily.timer", "apt-daily-upgrade.timer",
      "e2scrub_all.timer", "fstrim.timer");

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
    Path own = dataDir.resolve("cloud/lab/base/bookworm-machine");
    if (Files.isRegularFile(own.resolve(".gantry-ready"))) {
      return own;
    }
    return build(own, progress);
  }

  /** A tree a machine can boot: systemd to be its init, sshd to be reached. */
  static Path requireTree(Path dir, String where) {
    for (String needed : List.of("usr/lib/systemd/systemd", "usr/sbin/sshd")) {
      if (!Files.isExecutable(dir.resolve(needed))) {
        throw new UserError(where + ": " + dir + " cannot boot a lab machine: it has no " + needed
            + " (a Debian root filesystem with systemd and openssh-server is needed; scripts/lab-rootfs makes one)");
      }
    }
    return dir.toAbsolutePath();
  }

  private Path build(Path dir, Consumer<String> progress) {
    if (Exec.attempt(Duration.ofSeconds(10), List.of("sh", "-c", "command -v debootstrap")).exitCode() != 0) {
      throw new UserError("the lab needs a Debian root filesystem: install debootstrap (apt-get install debootstrap) "
          + "or set GANTRY_LAB_ROOTFS to a prepared one");
    }
    String mirror = mirror();
    progress.accept("making the lab machines' Debian root filesystem in " + dir + " from " + mirror
        + " (once, about two minutes)");
    Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
    Exec.run(Duration.ofSeconds(60), "rm", "-rf", "--one-file-system", tmp.toString());
    AtomicReference<String> phase = new AtomicReference<>("");
    // debootstrap says "I: Retrieving ...", "I: Extracting ...", ...: one progress line per phase
    ProcessResult r = Command.of("debootstrap", "--variant=minbase", "--include=" + PACKAGES, "bookworm",
            tmp.toString(), mirror)
        .stdin("").timeout(Duration.ofMinutes(20))
        .onStdout(line -> {
          String[] w = line.strip().split("\\s+");
          if (w.length > 1 && w[0].equals("I:") && !w[1].equals(phase.getAndSet(w[1]))) {
            progress.accept("  debootstrap: " + line.substring(3).strip());
          }
        })
        .attempt();
    if (!r.ok()) {
      throw new UserError("making the lab root filesystem in " + tmp + " failed: debootstrap " + r.status() + ": "
          + r.tail());
    }
    StringBuilder prepare = new StringBuilder("rm -f '" + tmp + "'/etc/ssh/ssh_host_* && : >'" + tmp + "/etc/machine-id'");
    MASKED.forEach(u -> prepare.append(" && ln -sf /dev/null '").append(tmp).append("/etc/systemd/system/").append(u).append("'"));
    prepare.append(" && touch '").append(tmp).append("/.gantry-ready'");
    Exec.run("sh", "-c", prepare.toString());
    Exec.run("mv", tmp.toString(), dir.toString());
    progress.accept("lab root filesystem ready in " + dir);
    return dir;
  }

  /** The Debian mirror this machine's apt uses. */
  private static String mirror() {
    String found = Exec.attempt(Duration.ofSeconds(5), List.of("sh", "-c",
        "sed -n 's/^URIs: *\\(http[^ ]*debian\\)$/\\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1;"
            + "awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null")).stdout().strip();
    return found.isEmpty() ? "http://deb.debian.org/debian" : found.split("\n")[0].strip();
  }
}

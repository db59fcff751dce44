package dev.gantry.cloud.lab;

import dev.gantry.core.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * What makes a copy of the base tree into one lab machine, written into its overlay before it
 * boots: its name and identity, fresh SSH host keys, the authorized key (and a sudo user),
 * sshd's settings, apt through the package cache on this machine, and the docker.service
 * drop-in that containers need inside nspawn.
 */
final class MachineConfig {
  /** The port of the package cache (apt-cacher-ng) on this machine's end of each veth pair. */
  static final int APT_CACHE_PORT = 3142;

  /**
   * nspawn mounts the cgroup v1 controllers read-only; dockerd and runc must write there, in the
   * machine's own cgroups, so the drop-in remounts them read-write inside the machine only.
   */
  static final String DOCKER_DROP_IN = """
      # written by gantry cloud: nspawn mounts the cgroup controllers read-only; Docker writes to them
      [Service]
      ExecStartPre=/bin/sh -c 'for d in /sys/fs/cgroup/*/; do mount -o remount,bind,rw "$d" || exit 1; done'
      """;

  private MachineConfig() {}

  static void write(LabHost h, String publicKey) throws IOException {
    Path root = h.root();
    Files.writeString(root.resolve("etc/hostname"), h.name() + "\n");
    Files.writeString(root.resolve("etc/hosts"), "127.0.0.1 localhost\n" + h.address() + " " + h.name() + "\n");
    byte[] id = new byte[16];
    new SecureRandom().nextBytes(id);
    Files.writeString(root.resolve("etc/machine-id"), HexFormat.of().formatHex(id) + "\n");
    Exec.run("sh", "-c", "rm -f '" + root + "'/etc/ssh/ssh_host_*");
    Exec.run("chroot", root.toString(), "ssh-keygen", "-A");
    authorize(root, "root", "/root", publicKey);
    if (!h.user().equals("root")) {
      addSudoUser(h, publicKey);
    }
    Files.writeString(root.resolve("etc/ssh/sshd_config.d/00-gantry-lab.conf"), String.join("\n",
        "# written by gantry cloud for the lab machine " + h.name(),
        "PermitRootLogin prohibit-password",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        ""));
    Files.writeString(root.resolve("etc/apt/apt.conf.d/00gantry-lab-cache"),
        "// written by gantry cloud: the lab has no route out; packages come through the cache on this machine\n"
            + "Acquire::http::Proxy \"http://" + h.hostAddress() + ":" + APT_CACHE_PORT + "\";\n");
    Path dropIn = root.resolve("etc/systemd/system/docker.service.d");
    Files.createDirectories(dropIn);
    Files.writeString(dropIn.resolve("gantry-lab-cgroups.conf"), DOCKER_DROP_IN);
    Files.createDirectories(h.dockerDir());
  }

  private static void addSudoUser(LabHost h, String publicKey) throws IOException {
    Path root = h.root();
    String u = h.user();
    if (!u.matches("[a-z_][a-z0-9_-]{0,31}")) {
      throw new UserError("host '" + h.name() + "': '" + u + "' is not a valid user name for the lab");
    }
    Exec.run("chroot", root.toString(), "useradd", "--create-home", "--shell", "/bin/bash", u);
    // no password, but not locked: sshd refuses keys for locked accounts
    Exec.run("chroot", root.toString(), "usermod", "-p", "*", u);
    Path sudoers = root.resolve("etc/sudoers.d/gantry-" + u);
    Files.writeString(sudoers, u + " ALL=(ALL) NOPASSWD:ALL\n");
    Files.setPosixFilePermissions(sudoers, PosixFilePermissions.fromString("r--r-----"));
    authorize(root, u, "/home/" + u, publicKey);
  }

  private static void authorize(Path root, String user, String home, String publicKey) throws IOException {
    Path ssh = root.resolve(home.substring(1)).resolve(".ssh");
    Files.createDirectories(ssh);
    Files.writeString(ssh.resolve("authorized_keys"), publicKey.strip() + "\n");
    Exec.run("chroot", root.toString(), "sh", "-c",
        "chown -R " + user + ": " + home + "/.ssh && chmod 700 " + home + "/.ssh && chmod 600 " + home + "/.ssh/authorized_keys");
  }
}

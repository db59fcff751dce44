package dev.gantry.host.testing;

import dev.gantry.host.ssh.SshEndpoint;
import dev.gantry.host.ssh.SshOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real OpenSSH sshd running inside a test root filesystem on a loopback port, so the
 * "remote host" is really that Debian tree. Fresh host keys, a client key for root and a
 * sudo user {@code deploy}, and a known_hosts file with the host's keys.
 */
public final class ChrootSshd implements AutoCloseable {
  public static final String SUDO_USER = "deploy";
  private final TestRootfs fs;
  private final Path clientDir;
  private final int port;
  private Process sshd;

  private ChrootSshd(TestRootfs fs, Path clientDir, int port) {
    this.fs = fs;
    this.clientDir = clientDir;
    this.port = port;
  }

  public static ChrootSshd start(TestRootfs fs) {
    try {
      Path client = Files.createTempDirectory("gantry-ssh-client-");
      ChrootSshd s = new ChrootSshd(fs, client, freePort());
      s.setUp();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void setUp() throws IOException {
    String root = fs.dir().toString();
    Sh.must("chroot", root, "ssh-keygen", "-A");
    Files.createDirectories(fs.path("/run/sshd"));
    Sh.must("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "gantry-test", "-f", key().toString());
    String pub = Files.readString(clientDir.resolve("id_ed25519.pub")).strip();
    Sh.must("chroot", root, "sh", "-c", "id " + SUDO_USER + " >/dev/null 2>&1 || useradd -m -s /bin/bash " + SUDO_USER);
    Files.writeString(fs.path("/etc/sudoers.d/" + SUDO_USER), SUDO_USER + " ALL=(ALL:ALL) NOPASSWD:ALL\n");
    Sh.must("chmod", "0440", fs.path("/etc/sudoers.d/" + SUDO_USER).toString());
    for (String home : List.of("/root", "/home/" + SUDO_USER)) {
      String user = home.equals("/root") ? "root" : SUDO_USER;
      Sh.must("chroot", root, "sh", "-c", "install -d -m 0700 -o " + user + " -g " + user + " " + home + "/.ssh && "
          + "echo '" + pub + "' > " + home + "/.ssh/authorized_keys && chown " + user + ":" + user + " " + home
          + "/.ssh/authorized_keys && chmod 0600 " + home + "/.ssh/authorized_keys");
    }
    writeKnownHosts(knownHosts());
    startDaemon();
  }

  /** Starts sshd (again, e.g. after {@link #stopDaemon()}). */
  public void startDaemon() {
    try {
      sshd = new ProcessBuilder("chroot", fs.dir().toString(), "/usr/sbin/sshd", "-D", "-e", "-p",
          Integer.toString(port), "-o", "ListenAddress=127.0.0.1", "-o", "UseDNS=no", "-o", "MaxStartups=64",
          "-o", "MaxSessions=64")
          .redirectErrorStream(true).redirectOutput(clientDir.resolve("sshd.log").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // a busy machine may take a while
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        if (!sshd.isAlive()) {
          throw new IllegalStateException("sshd exited: " + log());
        }
        sleep(100);
      }
    }
    throw new IllegalStateException("sshd did not listen on " + port + ": " + log());
  }

  /** Stops the daemon and every session it forked. */
  public void stopDaemon() {
    if (sshd != null) {
      sshd.descendants().forEach(ProcessHandle::destroyForcibly);
      sshd.destroyForcibly();
      try {
        sshd.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** known_hosts lines for this daemon's host keys. */
  public void writeKnownHosts(Path file) throws IOException {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> keys = Files.list(fs.path("/etc/ssh"))) {
      for (Path k : keys.filter(p -> p.getFileName().toString().matches("ssh_host_.*_key\\.pub")).toList()) {
        String[] f = Files.readString(k).strip().split("\\s+");
        sb.append("[127.0.0.1]:").append(port).append(' ').append(f[0]).append(' ').append(f[1]).append('\n');
      }
    }
    Files.writeString(file, sb.toString());
  }

  public int port() {
    return port;
  }

  public Path key() {
    return clientDir.resolve("id_ed25519");
  }

  public Path knownHosts() {
    return clientDir.resolve("known_hosts");
  }

  public Path clientDir() {
    return clientDir;
  }

  public SshEndpoint root() {
    return new SshEndpoint("127.0.0.1", port, "root");
  }

  public SshEndpoint sudoUser() {
    return new SshEndpoint("127.0.0.1", port, SUDO_USER);
  }

  public SshOptions options() {
    return new SshOptions(knownHosts(), List.of(key()), false, Duration.ofSeconds(10));
  }

  public String log() {
    try {
      return Files.readString(clientDir.resolve("sshd.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    stopDaemon();
    Sh.run("rm", "-rf", clientDir.toString());
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

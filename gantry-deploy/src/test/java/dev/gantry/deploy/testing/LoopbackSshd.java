package dev.gantry.deploy.testing;

import dev.gantry.core.target.LocalTarget;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * OpenSSH's sshd on a loopback port with throwaway keys, logging into this machine as
 * root: a real remote end for deploys over SSH.
 */
public final class LoopbackSshd implements AutoCloseable {
  public final Path dir;
  public final Path clientKey;
  public final Path knownHosts;
  public final int port;
  private final Process process;

  private LoopbackSshd(Path dir, Path clientKey, int port, Process process) {
    this.dir = dir;
    this.clientKey = clientKey;
    this.knownHosts = dir.resolve("known_hosts");
    this.port = port;
    this.process = process;
  }

  public static LoopbackSshd start() throws IOException, InterruptedException {
    LocalTarget sh = LocalTarget.thisMachine();
    Path dir = Files.createTempDirectory("gantry-sshd");
    Path hostKey = dir.resolve("host_ed25519");
    Path clientKey = dir.resolve("client_ed25519");
    sh.run(Duration.ofSeconds(30), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString()).requireOk("host key");
    sh.run(Duration.ofSeconds(30), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "gantry-test", "-f", clientKey.toString())
        .requireOk("client key");
    Files.copy(dir.resolve("client_ed25519.pub"), dir.resolve("authorized_keys"));
    Files.createDirectories(Path.of("/run/sshd"));
    int port = Systems.freePort();
    Path config = dir.resolve("sshd_config");
    Files.writeString(config, """
        Port %d
        ListenAddress 127.0.0.1
        HostKey %s
        PidFile %s/sshd.pid
        AuthorizedKeysFile %s/authorized_keys
        PermitRootLogin prohibit-password
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        StrictModes no
        UsePAM no
        """.formatted(port, hostKey, dir, dir));
    Process p = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", config.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("sshd.log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket probe = new Socket("127.0.0.1", port)) {
        probe.setSoTimeout(1000);
        return new LoopbackSshd(dir, clientKey, port, p);
      } catch (IOException e) {
        if (!p.isAlive()) {
          throw new AssertionError("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
        }
        Thread.sleep(100);
      }
    }
    p.destroyForcibly();
    throw new AssertionError("sshd did not listen on 127.0.0.1:" + port);
  }

  @Override
  public void close() {
    process.destroy();
    LocalTarget.thisMachine().run(Duration.ofSeconds(30), "rm", "-rf", dir.toString());
  }
}

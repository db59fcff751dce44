package dev.gantry.deploy.testing;

import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.exec.LocalExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * A one-node swarm shared by every test run on this machine. Swarm state belongs to the
 * whole engine, and making or leaving a swarm disturbs the networking of containers that
 * run at that moment, so neither may happen while another run's tests use Docker. Each run
 * holds the swarm from its first Docker test to its exit (a shared file lock); the first run
 * makes the swarm when none is active and says so in the lock file; the last run out leaves
 * it (with the bridge it made). The engine ends as the first run found it.
 *
 * <pre>{@code
 * SwarmLease.holdForThisRun();   // before the first container of the run
 * }</pre>
 */
public final class SwarmLease {
  private static final Path FILE = Path.of(System.getProperty("java.io.tmpdir"), "gantry-test-swarm.lock");
  private static final String MADE = "made-by-test";
  private static final String MADE_BRIDGE = "made-by-test+bridge";
  // region 0 serialises joining and leaving; region 1 is held shared by every run in between
  private static final long DECIDE = 0;
  private static final long USERS = 1;
  private static FileChannel channel;
  private static FileLock using;

  private SwarmLease() {}

  /** Makes sure the swarm is active and stays so until this JVM exits. Idempotent. */
  public static synchronized void holdForThisRun() {
    if (channel != null) {
      return;
    }
    LocalExecutor exec = new LocalExecutor();
    Docker docker = new Docker(exec);
    try {
      channel = FileChannel.open(FILE, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      try (FileLock deciding = channel.lock(DECIDE, 1, false)) {
        using = channel.lock(USERS, 1, true);
        if (!docker.swarmState().equals("active")) {
          boolean hadBridge = docker.inspect("network", "docker_gwbridge").isPresent();
          exec.run(Duration.ofMinutes(1), "docker", "swarm", "init", "--advertise-addr", "127.0.0.1")
              .requireOk("docker swarm init");
          write(hadBridge ? MADE : MADE_BRIDGE);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(SwarmLease::release, "swarm-lease"));
  }

  private static synchronized void release() {
    try (FileLock deciding = channel.lock(DECIDE, 1, false)) {
      using.release();
      FileLock last = channel.tryLock(USERS, 1, false);
      if (last != null) {
        try {
          String made = read();
          if (made.startsWith(MADE)) {
            LocalExecutor exec = new LocalExecutor();
            exec.run(Duration.ofMinutes(1), "docker", "swarm", "leave", "--force");
            if (made.equals(MADE_BRIDGE)) {
              exec.run(Duration.ofMinutes(1), "docker", "network", "rm", "docker_gwbridge");
            }
            write("");
          }
        } finally {
          last.release();
        }
      }
    } catch (IOException e) {
      System.err.println("leaving the test swarm: " + e.getMessage());
    }
  }

  private static String read() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(64);
    int n = channel.read(b, 8);
    return n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).strip();
  }

  // the marker lives past the two lock bytes, so writing it never touches a locked region's meaning
  private static void write(String s) throws IOException {
    channel.truncate(8);
    channel.write(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)), 8);
    channel.force(true);
  }
}

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
 * A one-node swarm for tests, shared by every test run on this machine through a file lock.
 * Swarm state belongs to the whole engine: a run makes the swarm only when none is active,
 * says so in the lock file, and the last run to finish leaves it (with the bridge it made),
 * so the engine ends as the first run found it, however many runs overlap.
 *
 * <pre>{@code
 * SwarmLease lease = SwarmLease.join();
 * ... docker stack deploy ...
 * lease.close();
 * }</pre>
 */
public final class SwarmLease implements AutoCloseable {
  private static final Path FILE = Path.of(System.getProperty("java.io.tmpdir"), "gantry-test-swarm.lock");
  private static final String MADE = "made-by-test";
  private static final String MADE_BRIDGE = "made-by-test+bridge";
  private final FileChannel channel;
  private final FileLock shared;

  private SwarmLease(FileChannel channel, FileLock shared) {
    this.channel = channel;
    this.shared = shared;
  }

  /** Joins the swarm, making it when there is none. */
  public static SwarmLease join() {
    LocalExecutor exec = new LocalExecutor();
    Docker docker = new Docker(exec);
    try {
      FileChannel ch = FileChannel.open(FILE, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      try (FileLock deciding = ch.lock()) {
        if (!docker.swarmState().equals("active")) {
          boolean hadBridge = docker.inspect("network", "docker_gwbridge").isPresent();
          exec.run(Duration.ofMinutes(1), "docker", "swarm", "init", "--advertise-addr", "127.0.0.1").requireOk("docker swarm init");
          write(ch, hadBridge ? MADE : MADE_BRIDGE);
        }
      }
      return new SwarmLease(ch, ch.lock(0, Long.MAX_VALUE, true));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Leaves; the last run out leaves a swarm that a test made. */
  @Override
  public void close() {
    try {
      shared.release();
      FileLock last = channel.tryLock();
      if (last != null) {
        try {
          String made = read(channel);
          if (made.startsWith(MADE)) {
            LocalExecutor exec = new LocalExecutor();
            exec.run(Duration.ofMinutes(1), "docker", "swarm", "leave", "--force");
            if (made.equals(MADE_BRIDGE)) {
              exec.run(Duration.ofMinutes(1), "docker", "network", "rm", "docker_gwbridge");
            }
            write(channel, "");
          }
        } finally {
          last.release();
        }
      }
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(64);
    int n = ch.read(b, 0);
    return n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).strip();
  }

  private static void write(FileChannel ch, String s) throws IOException {
    ch.truncate(0);
    ch.write(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)), 0);
    ch.force(true);
  }
}

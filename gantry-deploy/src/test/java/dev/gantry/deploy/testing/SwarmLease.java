package dev.gantry.deploy.testing;

import dev.gantry.core.target.LocalTarget;
import dev.gantry.deploy.docker.Docker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The one-node swarm the tests deploy to. Swarm state belongs to the whole engine, and on
 * Docker 20.10 leaving a swarm detaches every compose container on the engine from its
 * network (theirs, other test runs', a benchmark's, the developer's own), so the tests never
 * leave it: the first run on a machine makes it, listening on loopback only, and it stays.
 * Making it is serialised between test runs by a file lock; making it disturbs nothing.
 *
 * <pre>{@code
 * SwarmLease.holdForThisRun();   // before the first container of the run
 * }</pre>
 */
public final class SwarmLease {
  private static final Path FILE = Path.of(System.getProperty("java.io.tmpdir"), "gantry-test-swarm.lock");
  private static boolean held;

  private SwarmLease() {}

  /** Makes sure the swarm is active. Idempotent. */
  public static synchronized void holdForThisRun() {
    if (held) {
      return;
    }
    LocalTarget exec = LocalTarget.thisMachine();
    Docker docker = new Docker(exec);
    try (FileChannel channel = FileChannel.open(FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock deciding = channel.lock()) {
      if (!docker.swarmState().equals("active")) {
        exec.run(Duration.ofMinutes(1), "docker", "swarm", "init", "--advertise-addr", "127.0.0.1",
            "--listen-addr", "127.0.0.1:2377").requireOk("docker swarm init");
      }
      held = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.gantry.deploy.engine;

import dev.gantry.core.UserError;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.Target;
import dev.gantry.deploy.layout.Layout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * One change at a time per system and host: a lock folder created with {@code mkdir} on the
 * host (atomic there, locally and over SSH), holding who took it and when.
 *
 * <pre>{@code
 * try (HostLock lock = HostLock.acquire(executor, layout, "alice@laptop", Instant.now())) { ... }
 * }</pre>
 */
public final class HostLock implements AutoCloseable {
  private final Target exec;
  private final String dir;

  private HostLock(Target exec, String dir) {
    this.exec = exec;
    this.dir = dir;
  }

  public static HostLock acquire(Target exec, Layout layout, String who, Instant now) {
    String dir = layout.lockDir();
    exec.mkdirs(dir.substring(0, dir.lastIndexOf('/')));
    if (!exec.run(Duration.ofSeconds(30), "mkdir", dir).ok()) {
      String holder = exec.read(dir + "/owner").map(b -> new String(b, StandardCharsets.UTF_8).strip()).orElse("unknown");
      throw new UserError("system " + layout.project() + " on " + exec.name() + " is locked by another change ("
          + holder + "); if no deploy is running, remove " + dir);
    }
    exec.writeMakingFolders(dir + "/owner", (who + " since " + now + "\n").getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0644));
    return new HostLock(exec, dir);
  }

  @Override
  public void close() {
    exec.delete(dir);
  }
}

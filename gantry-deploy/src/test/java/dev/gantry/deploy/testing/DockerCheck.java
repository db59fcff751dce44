package dev.gantry.deploy.testing;

import dev.gantry.core.target.LocalTarget;
import java.time.Duration;

/** Fails (never skips) when the Docker Engine the tests need is not running. */
public final class DockerCheck {
  private DockerCheck() {}

  public static void requireDocker() {
    var r = LocalTarget.thisMachine().run(Duration.ofSeconds(30), "docker", "info", "--format", "{{.ServerVersion}}");
    if (!r.ok()) {
      throw new AssertionError("the Docker Engine is not reachable (start dockerd: `dockerd > /tmp/dockerd.log 2>&1 &`): "
          + r.tail());
    }
  }
}

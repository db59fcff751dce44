package dev.gantry.core.target;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * This machine, with every command run through core's {@link dev.gantry.core.process.Command}
 * (its own session; the whole process tree ended on timeout). Two uses: the host runtime
 * configuring the host it runs on, whose commands get a fixed system environment (root's
 * {@code PATH} and {@code HOME}, apt never asking), and {@link #thisMachine()}, a deploy from
 * a person's machine, whose commands see that person's environment unchanged (their
 * {@code PATH}, {@code HOME} and so their Docker configuration).
 *
 * <pre>{@code
 * Target here = new LocalTarget();
 * LocalTarget.thisMachine().run(Duration.ofSeconds(5), "docker", "info").requireOk("docker info");
 * }</pre>
 */
public final class LocalTarget extends RootedTarget {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
  private final String name;

  public LocalTarget() {
    this(DEFAULT_TIMEOUT);
  }

  /** A local target whose commands are killed after {@code timeout}. */
  public LocalTarget(Duration timeout) {
    this("localhost", timeout);
  }

  /** This machine under the name the definition gives it, so messages name the host as the user does. */
  public LocalTarget(String name, Duration timeout) {
    this(name, timeout, SYSTEM_ENV);
  }

  private LocalTarget(String name, Duration timeout, Map<String, String> baseEnv) {
    super(Path.of("/"), List.of(), timeout, baseEnv);
    this.name = name;
  }

  /** This machine as a deploy sees it: named "this machine", commands in this process's environment. */
  public static LocalTarget thisMachine() {
    return new LocalTarget("this machine", DEFAULT_TIMEOUT, Map.of());
  }

  @Override
  public String name() {
    return name;
  }
}

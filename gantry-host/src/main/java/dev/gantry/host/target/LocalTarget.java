package dev.gantry.host.target;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * This machine. The spin runtime uses it on the host being configured.
 *
 * <pre>{@code
 * Target here = new LocalTarget();
 * }</pre>
 */
public final class LocalTarget extends RootedTarget {
  public LocalTarget() {
    this(Duration.ofMinutes(30));
  }

  /** A local target whose commands are killed after {@code timeout}. */
  public LocalTarget(Duration timeout) {
    super(Path.of("/"), List.of(), timeout);
  }

  @Override
  public String name() {
    return "localhost";
  }
}

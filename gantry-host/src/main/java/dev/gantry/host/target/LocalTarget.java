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
  private final String name;

  public LocalTarget() {
    this(Duration.ofMinutes(30));
  }

  /** A local target whose commands are killed after {@code timeout}. */
  public LocalTarget(Duration timeout) {
    this("localhost", timeout);
  }

  /** This machine under the name the definition gives it, so messages name the host as the user does. */
  public LocalTarget(String name, Duration timeout) {
    super(Path.of("/"), List.of(), timeout);
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }
}

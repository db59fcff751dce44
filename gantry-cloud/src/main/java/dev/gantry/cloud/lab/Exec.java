package dev.gantry.cloud.lab;

import dev.gantry.core.UserError;
import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.time.Duration;
import java.util.List;

/**
 * Runs the system tools the lab is built from ({@code ip}, {@code mount}, {@code chroot})
 * through gantry-core's {@link Command}, turning failures into errors in the tool's own words.
 */
final class Exec {
  private Exec() {}

  /** Runs and returns whatever happened. */
  static ProcessResult attempt(Duration timeout, List<String> command) {
    try {
      return Command.of(command).stdin("").timeout(timeout).run();
    } catch (UserError e) {
      throw new UserError(e.getMessage() + " (the lab needs iproute2, util-linux and mount on this machine)", e);
    }
  }

  /** Runs and fails with the tool's own words when it fails. */
  static String run(Duration timeout, String... command) {
    ProcessResult r = attempt(timeout, List.of(command));
    if (!r.ok()) {
      throw new UserError("`" + String.join(" ", command) + "` failed (" + r.status() + "): " + r.stderr().strip());
    }
    return r.stdout();
  }

  static String run(String... command) {
    return run(Duration.ofSeconds(60), command);
  }
}

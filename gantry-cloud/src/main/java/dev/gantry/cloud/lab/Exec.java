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
  /** What a tool did. */
  record Result(int exitCode, String stdout, String stderr) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  private Exec() {}

  /** Runs and returns whatever happened. */
  static Result attempt(Duration timeout, List<String> command) {
    ProcessResult r;
    try {
      r = Command.of(command).stdin("").timeout(timeout).run();
    } catch (RuntimeException e) {
      throw new UserError("cannot run " + command.get(0) + ": " + e.getMessage()
          + " (the lab needs iproute2, util-linux and mount on this machine)");
    }
    if (r.timedOut()) {
      return new Result(124, r.stdout(), "timed out after " + timeout.toSeconds() + " s");
    }
    return new Result(r.exitCode(), r.stdout(), r.stderr());
  }

  /** Runs and fails with the tool's own words when it fails. */
  static String run(Duration timeout, String... command) {
    Result r = attempt(timeout, List.of(command));
    if (!r.ok()) {
      throw new UserError("`" + String.join(" ", command) + "` failed (exit " + r.exitCode() + "): " + r.stderr().strip());
    }
    return r.stdout();
  }

  static String run(String... command) {
    return run(Duration.ofSeconds(60), command);
  }
}

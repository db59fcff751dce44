package dev.gantry.host.testing;

import dev.gantry.host.target.CommandResult;
import dev.gantry.host.target.Exec;
import java.time.Duration;
import java.util.List;

/** Runs fixture commands on this machine, failing loudly. */
public final class Sh {
  private Sh() {}

  public static CommandResult must(String... argv) {
    CommandResult r = Exec.run(List.of(argv), null, Duration.ofMinutes(10));
    if (!r.ok()) {
      throw new IllegalStateException(String.join(" ", argv) + " failed (" + r.exitCode() + "): " + r.stderr() + r.stdout());
    }
    return r;
  }

  public static CommandResult sh(String script) {
    return must("sh", "-c", script);
  }

  public static CommandResult run(String... argv) {
    return Exec.run(List.of(argv), null, Duration.ofMinutes(10));
  }
}

package dev.gantry.host.testing;

import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.time.Duration;
import java.util.List;

/** Runs fixture commands on this machine, failing loudly. */
public final class Sh {
  private Sh() {}

  public static ProcessResult must(String... argv) {
    ProcessResult r = run(argv);
    if (!r.ok()) {
      throw new IllegalStateException(String.join(" ", argv) + " failed (" + r.exitCode() + "): " + r.stderr() + r.stdout());
    }
    return r;
  }

  public static ProcessResult sh(String script) {
    return must("sh", "-c", script);
  }

  public static ProcessResult run(String... argv) {
    return Command.of(List.of(argv)).timeout(Duration.ofMinutes(10)).attempt();
  }
}

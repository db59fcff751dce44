package dev.gantry.host.lib;

import dev.gantry.host.property.PropertyFailure;
import dev.gantry.host.target.CommandResult;
import dev.gantry.host.target.Target;
import java.util.List;

/** Runs commands for the library, failing the property with the command's own error. */
final class Run {
  private Run() {}

  static CommandResult must(Target t, String... argv) {
    return must(t, List.of(argv), null);
  }

  static CommandResult must(Target t, List<String> argv, byte[] stdin) {
    CommandResult r = t.run(argv, stdin);
    if (!r.ok()) {
      throw new PropertyFailure(String.join(" ", argv) + " failed (exit " + r.exitCode() + ")"
          + (r.errorTail().isEmpty() ? "" : ": " + r.errorTail()));
    }
    return r;
  }

  /** Whether systemd is the running init on the target (what sd_booted() checks). */
  static boolean systemdRunning(Target t) {
    return t.stat("/run/systemd/system").map(s -> s.isDirectory()).orElse(false);
  }

  /** Single-quotes a word for sh. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}

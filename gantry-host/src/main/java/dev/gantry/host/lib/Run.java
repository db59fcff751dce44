package dev.gantry.host.lib;

import dev.gantry.core.process.ProcessResult;
import dev.gantry.host.property.PropertyFailure;
import dev.gantry.core.target.Target;
import java.util.List;

/** Runs commands for the library, failing the property with the command's own error. */
final class Run {
  private Run() {}

  static ProcessResult must(Target t, String... argv) {
    return must(t, List.of(argv), null);
  }

  static ProcessResult must(Target t, List<String> argv, byte[] stdin) {
    ProcessResult r = t.run(argv, stdin);
    if (!r.ok()) {
      throw new PropertyFailure(String.join(" ", argv) + " failed (" + r.status() + ")"
          + (r.tail().isEmpty() ? "" : ": " + r.tail()));
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

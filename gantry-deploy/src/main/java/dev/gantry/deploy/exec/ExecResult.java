package dev.gantry.deploy.exec;

import java.time.Duration;
import java.util.List;

/** The outcome of one command on a host. Output is captured up to a cap. */
public record ExecResult(List<String> argv, int exitCode, String stdout, String stderr, Duration duration, boolean timedOut) {

  public ExecResult {
    argv = List.copyOf(argv);
  }

  public boolean ok() {
    return exitCode == 0 && !timedOut;
  }

  /** Returns this result when it succeeded, else throws {@link CommandFailed} saying {@code what} failed. */
  public ExecResult requireOk(String what) {
    if (!ok()) {
      throw new CommandFailed(what, this);
    }
    return this;
  }

  /** The last lines of stderr (or stdout when stderr is empty), for error messages. */
  public String tail() {
    String s = stderr.isBlank() ? stdout : stderr;
    String[] lines = s.strip().split("\n");
    int from = Math.max(0, lines.length - 8);
    return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
  }
}

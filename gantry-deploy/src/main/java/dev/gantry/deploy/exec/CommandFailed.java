package dev.gantry.deploy.exec;

import dev.gantry.core.UserError;

/** A command on a host failed; the message names the step, the command and its output. */
public class CommandFailed extends UserError {
  private static final long serialVersionUID = 1L;
  private final transient ExecResult result;

  public CommandFailed(String what, ExecResult result) {
    super(what + " failed: `" + String.join(" ", result.argv()) + "` "
        + (result.timedOut() ? "timed out after " + result.duration().toSeconds() + "s"
            : "exited with " + result.exitCode())
        + (result.tail().isBlank() ? "" : ":\n" + result.tail()));
    this.result = result;
  }

  public ExecResult result() {
    return result;
  }
}

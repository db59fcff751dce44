package dev.gantry.core.process;

import dev.gantry.core.UserError;

/**
 * A command failed where it had to succeed; the message names the step, the command, how it
 * ended and the last of its output, e.g.
 * {@code "creating /srv on ssh admin@prod:22 failed: `mkdir -p /srv` exited with 1:\nmkdir: Permission denied"}.
 *
 * <pre>{@code
 * host.run(Duration.ofSeconds(10), "docker", "version").requireOk("docker version");
 * }</pre>
 */
public class CommandFailed extends UserError {
  private static final long serialVersionUID = 1L;
  private final transient ProcessResult result;

  public CommandFailed(String what, ProcessResult result) {
    super(what + " failed: `" + String.join(" ", result.argv()) + "` "
        + (result.timedOut() ? "timed out after " + result.duration().toSeconds() + "s"
            : "exited with " + result.exitCode())
        + (result.outputTail().isBlank() ? "" : ":\n" + result.outputTail()));
    this.result = result;
  }

  /** What the command left behind. */
  public ProcessResult result() {
    return result;
  }
}

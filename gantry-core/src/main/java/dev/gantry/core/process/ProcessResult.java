package dev.gantry.core.process;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a finished command left behind, wherever it ran: a {@link Command} on this machine,
 * or a command on a host over SSH. The one result type of every runner.
 *
 * <p>{@code stdout} and {@code stderr} hold the captured output (for a {@link Command}, the
 * last {@link Command#maxCapture(int) maxCapture} bytes of each stream, decoded as UTF-8);
 * use the line consumers of {@link Command} to see all of it.
 *
 * <pre>{@code
 * ProcessResult r = Command.of("git", "rev-parse", "HEAD").dir(repo).run();
 * String sha = r.requireOk("reading the checked-out commit").stdout().strip();
 * }</pre>
 *
 * @param argv the command as it was run, for messages
 * @param exitCode the exit status; 128 + signal number when a signal ended the process, 127
 *     when it could not be started (as a shell reports a command it cannot find)
 * @param duration from start until the process exited
 * @param timedOut true when the command's timeout ended it
 */
public record ProcessResult(List<String> argv, int exitCode, String stdout, String stderr, Duration duration,
                            boolean timedOut) {
  /** The exit status of a command that could not be started, as {@code sh} reports one it cannot find. */
  public static final int NOT_STARTED = 127;
  private static final int TAIL_LINES = 8;
  private static final int TAIL_CHARS = 2000;

  public ProcessResult {
    argv = List.copyOf(argv);
    stdout = stdout == null ? "" : stdout;
    stderr = stderr == null ? "" : stderr;
    Objects.requireNonNull(duration, "duration");
  }

  /** A command that never ran: exit status {@value #NOT_STARTED}, {@code reason} as its stderr. */
  public static ProcessResult notStarted(List<String> argv, String reason) {
    return new ProcessResult(argv, NOT_STARTED, "", reason, Duration.ZERO, false);
  }

  /** True when the process exited with status 0 before its timeout. */
  public boolean ok() {
    return exitCode == 0 && !timedOut;
  }

  /**
   * Returns this result when it is {@link #ok()}, else throws {@link CommandFailed} saying
   * {@code what} failed, naming the command, how it ended and its {@link #tail()}.
   */
  public ProcessResult requireOk(String what) {
    if (!ok()) {
      throw new CommandFailed(what, this);
    }
    return this;
  }

  /** How the command ended, for messages: {@code "exit 3"} or {@code "timed out after 30 s"}. */
  public String status() {
    return timedOut ? "timed out after " + duration.toSeconds() + " s" : "exit " + exitCode;
  }

  /** The command line as a shell would read it, e.g. {@code git commit -m 'a message'}. */
  public String commandLine() {
    return ShellWords.join(argv);
  }

  /**
   * The last lines of stderr (or of stdout when stderr is empty), at most 8 lines and 2,000
   * characters, followed by a line saying so when the command timed out: what an error message
   * shows of a failed command.
   */
  public String tail() {
    String output = outputTail();
    if (!timedOut) {
      return output;
    }
    String timeout = "timed out after " + duration.toSeconds() + " s";
    return output.isEmpty() ? timeout : output + "\n" + timeout;
  }

  /** {@link #tail()} without the timeout line. */
  String outputTail() {
    String text = (stderr.isBlank() ? stdout : stderr).strip();
    if (text.isEmpty()) {
      return "";
    }
    String[] lines = text.split("\n");
    String last = String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - TAIL_LINES), lines.length));
    return last.length() <= TAIL_CHARS ? last : "..." + last.substring(last.length() - TAIL_CHARS);
  }
}

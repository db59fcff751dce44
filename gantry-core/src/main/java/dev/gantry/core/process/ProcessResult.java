package dev.gantry.core.process;

import java.time.Duration;

/**
 * What a finished {@link Command} left behind.
 *
 * <p>{@code stdout} and {@code stderr} hold the captured output (the last
 * {@link Command#maxCapture(int) maxCapture} bytes of each stream, decoded as UTF-8); use the
 * line consumers of {@link Command} to see all of it.
 *
 * <pre>{@code
 * ProcessResult r = Command.of("git", "rev-parse", "HEAD").dir(repo).run();
 * if (!r.ok()) throw new IllegalStateException("git failed: " + r.stderr());
 * String sha = r.stdout().strip();
 * }</pre>
 *
 * @param exitCode the exit status; 128 + signal number when a signal ended the process
 * @param duration from start until the process exited
 * @param timedOut true when the command's timeout ended it
 */
public record ProcessResult(int exitCode, Duration duration, boolean timedOut, String stdout, String stderr) {

  /** True when the process exited with status 0 before its timeout. */
  public boolean ok() {
    return exitCode == 0 && !timedOut;
  }
}

package dev.gantry.host.target;

/**
 * The outcome of a command run on a {@link Target}.
 *
 * <pre>{@code
 * CommandResult r = target.run("dpkg-query", "-W", "git");
 * if (r.ok()) { ... }
 * }</pre>
 */
public record CommandResult(int exitCode, String stdout, String stderr) {
  public CommandResult {
    stdout = stdout == null ? "" : stdout;
    stderr = stderr == null ? "" : stderr;
  }

  /** True when the command exited with status 0. */
  public boolean ok() {
    return exitCode == 0;
  }

  /** The last lines of stderr (or stdout when stderr is empty), for error messages. */
  public String errorTail() {
    String text = stderr.isBlank() ? stdout : stderr;
    String[] lines = text.strip().split("\n");
    int from = Math.max(0, lines.length - 6);
    return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length)).strip();
  }
}

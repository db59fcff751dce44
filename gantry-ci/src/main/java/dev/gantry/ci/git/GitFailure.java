package dev.gantry.ci.git;

/** The central repository could not be read or written (unreachable, refused a push). */
public final class GitFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GitFailure(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.gantry.host.target;

/** A file operation on a target failed; the message names the path and the target. */
public class TargetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TargetException(String message) {
    super(message);
  }

  public TargetException(String message, Throwable cause) {
    super(message, cause);
  }
}

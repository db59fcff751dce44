package dev.gantry.core.target;

import dev.gantry.core.UserError;

/**
 * A file operation on a {@link Target} failed (no such folder, account or permission); the
 * message names the path and the target, and is printed without a stack trace.
 */
public class TargetException extends UserError {
  private static final long serialVersionUID = 1L;

  public TargetException(String message) {
    super(message);
  }

  public TargetException(String message, Throwable cause) {
    super(message, cause);
  }
}

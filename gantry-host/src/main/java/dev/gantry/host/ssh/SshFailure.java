package dev.gantry.host.ssh;

import dev.gantry.core.UserError;

/**
 * Connecting or authenticating failed for a reason the user must act on; {@link #kind()}
 * tells which, the message says what to do.
 */
public class SshFailure extends UserError {
  private static final long serialVersionUID = 1L;

  public enum Kind { UNREACHABLE, CONNECT_TIMEOUT, NO_BANNER, HOST_KEY_UNKNOWN, HOST_KEY_MISMATCH, AUTHENTICATION, NO_SUDO, CHANNEL }

  private final Kind kind;

  public SshFailure(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public SshFailure(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}

package dev.gantry.core;

/**
 * A failure caused by what the user gave (a flag, a file, a definition, an answer from a
 * service they configured). The command line prints its message alone, never a stack
 * trace, and exits with status 1 (or 2 for usage). The message names what was wrong and
 * where, e.g. {@code "gantry.yml: unknown key 'server.prot' (did you mean 'server.port'?)"}.
 */
public class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}

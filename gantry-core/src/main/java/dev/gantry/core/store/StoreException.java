package dev.gantry.core.store;

/**
 * A statement or migration the database refused. The message names the SQL (never the
 * parameters, which may be secrets) and SQLite's reason.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.gantry.monitor.query;

import dev.gantry.core.UserError;

/** A query that does not parse; the message gives the column and what was expected. */
public final class QueryException extends UserError {
  private static final long serialVersionUID = 1L;

  public QueryException(String message) {
    super(message);
  }
}

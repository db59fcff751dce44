package dev.gantry.core.definition;

import dev.gantry.core.UserError;

/**
 * A mistake in what a definition declares (a pipeline, hosts and their properties, a
 * system, monitoring rules): a bad name, a value out of range, a reference to something
 * not declared. The message says what is wrong and with which name, e.g.
 * {@code "system 'capital': service 'app' depends on unknown service 'dbx' (services: app, db)"}.
 *
 * <p>Where the mistake is written is added by {@link DefinitionLoader}: thrown while the
 * user's {@code define()} runs, it becomes a {@link DefinitionException} at the user's
 * {@code file:line}. Checks that can only run once the whole definition is known (an
 * unknown reference, a cycle) name the declaration instead.
 *
 * <pre>{@code
 * if (port < 1 || port > 65535) {
 *   throw new DefinitionError("host '" + name + "': ssh port " + port + " is not in 1..65535");
 * }
 * }</pre>
 */
public class DefinitionError extends UserError {
  private static final long serialVersionUID = 1L;

  public DefinitionError(String message) {
    super(message);
  }

  public DefinitionError(String message, Throwable cause) {
    super(message, cause);
  }
}

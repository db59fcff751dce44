package dev.gantry.host.property;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.definition.Names;

/**
 * A secret by field and context (a host name, a domain, or {@code "any"}), as stored in
 * the vault at {@code vault/<context>/<field>.gpg}. The context {@link #HOST} stands for
 * the host being configured.
 *
 * <pre>{@code
 * SecretRef token = SecretRef.of("slack-webhook", "any");
 * SecretRef db = SecretRef.forHost("db-password");
 * }</pre>
 */
public record SecretRef(String field, String context) {
  /** Placeholder context meaning "the host this property is applied to". */
  public static final String HOST = "@host";

  public SecretRef {
    requireName("field", field);
    if (!HOST.equals(context)) {
      requireName("context", context);
    }
  }

  public static SecretRef of(String field, String context) {
    return new SecretRef(field, context);
  }

  /** A secret whose context is the host being configured. */
  public static SecretRef forHost(String field) {
    return new SecretRef(field, HOST);
  }

  /** This reference with {@link #HOST} replaced by {@code hostName}. */
  public SecretRef resolve(String hostName) {
    return HOST.equals(context) ? new SecretRef(field, hostName) : this;
  }

  /** The command that stores this secret, as printed in error messages. */
  public String setCommand() {
    return "gantry vault set " + field + " " + context;
  }

  /** Checks a vault field or context name by the rule of {@link Names}; they become file names. */
  public static String requireName(String what, String value) {
    if (!Names.isValid(value)) {
      throw new DefinitionError("vault " + what + " '" + value + "' is not valid (" + Names.why(value) + "): " + Names.RULE);
    }
    return value;
  }

  @Override
  public String toString() {
    return field + "@" + context;
  }
}

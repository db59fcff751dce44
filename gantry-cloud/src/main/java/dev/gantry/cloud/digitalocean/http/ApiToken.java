package dev.gantry.cloud.digitalocean.http;

import dev.gantry.core.UserError;

/**
 * A DigitalOcean API token. Its {@link #toString()} never shows the value, so the token
 * cannot leak into logs, exceptions or tables by accident.
 *
 * <pre>{@code
 * ApiToken token = ApiToken.of(System.getenv("DIGITALOCEAN_TOKEN"), "DIGITALOCEAN_TOKEN");
 * }</pre>
 */
public final class ApiToken {
  private final String value;

  private ApiToken(String value) {
    this.value = value;
  }

  /**
   * A token read from {@code source} (named in errors, e.g. the variable's name).
   *
   * @throws UserError when the value is empty or could not be a bearer token
   */
  public static ApiToken of(String value, String source) {
    if (value == null || value.isBlank()) {
      throw new UserError(source + " is empty: give a DigitalOcean API token");
    }
    String trimmed = value.strip();
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      // a header value must be one line of visible ASCII; anything else is a paste mistake
      if (c <= ' ' || c > '~') {
        throw new UserError(source + " contains a space, a line break or a non-ASCII character; "
            + "it must be the token alone");
      }
    }
    return new ApiToken(trimmed);
  }

  /** The value, for the Authorization header only. */
  String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "ApiToken[redacted]";
  }
}

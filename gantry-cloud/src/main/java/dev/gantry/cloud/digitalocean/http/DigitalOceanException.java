package dev.gantry.cloud.digitalocean.http;

import dev.gantry.core.UserError;
import java.util.Optional;

/**
 * The API refused or failed a request. The message says what Gantry was doing, what the
 * API answered and the request id to quote to DigitalOcean's support, e.g.
 * {@code "DigitalOcean: creating droplet 'web1' failed: HTTP 422 unprocessable_entity: Region
 * is not available (request id 4d9d8375-...)"}.
 */
public final class DigitalOceanException extends UserError {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String errorId;
  private final String requestId;

  public DigitalOceanException(String what, int status, String errorId, String apiMessage, String requestId) {
    super(format(what, status, errorId, apiMessage, requestId));
    this.status = status;
    this.errorId = errorId;
    this.requestId = requestId;
  }

  /** A failure without an HTTP answer (timeout, refused connection) or a malformed one. */
  public DigitalOceanException(String what, String problem, Throwable cause) {
    super("DigitalOcean: " + what + " failed: " + problem, cause);
    this.status = 0;
    this.errorId = null;
    this.requestId = null;
  }

  private static String format(String what, int status, String errorId, String apiMessage, String requestId) {
    StringBuilder sb = new StringBuilder("DigitalOcean: ").append(what).append(" failed: HTTP ").append(status);
    if (errorId != null && !errorId.isBlank()) {
      sb.append(' ').append(errorId);
    }
    if (apiMessage != null && !apiMessage.isBlank()) {
      sb.append(": ").append(apiMessage);
    }
    if (status == 401) {
      sb.append(" (check DIGITALOCEAN_TOKEN or the vault entry digitalocean-token)");
    }
    if (requestId != null && !requestId.isBlank()) {
      sb.append(" (request id ").append(requestId).append(')');
    }
    return sb.toString();
  }

  /** The HTTP status, or 0 when no answer came. */
  public int status() {
    return status;
  }

  /** The API's error id, e.g. {@code not_found}. */
  public Optional<String> errorId() {
    return Optional.ofNullable(errorId);
  }

  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  public boolean isNotFound() {
    return status == 404;
  }
}

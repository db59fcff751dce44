package dev.gantry.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * The cross-site request check for browsers that act by cookie: a form post or fetch that
 * changes something must come from this server's own pages. SameSite=Strict already keeps the
 * cookie off cross-site requests; this refuses them again by the headers browsers add
 * ({@code Sec-Fetch-Site}, else {@code Origin}), for older browsers and same-site neighbours.
 *
 * <pre>{@code
 * SameOrigin.refusal(ctx.header("Sec-Fetch-Site"), ctx.header("Origin"), ctx.host())
 *     .ifPresent(why -> { throw new ForbiddenResponse(why); });
 * }</pre>
 */
final class SameOrigin {
  private SameOrigin() {}

  /** Why the request is refused, or empty when it comes from this server's own pages. */
  static Optional<String> refusal(String secFetchSite, String origin, String host) {
    if (secFetchSite != null) {
      return "same-origin".equals(secFetchSite) ? Optional.empty()
          : Optional.of("refused a " + secFetchSite + " request: a signed-in browser may change things only from this server's pages");
    }
    if (origin == null) {
      return Optional.of("refused: the request names no Origin; a signed-in browser may change things only from this "
          + "server's pages (API clients send Authorization: Bearer)");
    }
    if (host != null && authority(origin).filter(host::equalsIgnoreCase).isPresent()) {
      return Optional.empty();
    }
    return Optional.of("refused a request from another origin: a signed-in browser may change things only from this server's pages");
  }

  private static Optional<String> authority(String origin) {
    try {
      URI u = new URI(origin);
      return u.getScheme() == null || u.getRawAuthority() == null ? Optional.empty() : Optional.of(u.getRawAuthority());
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}

package dev.gantry.core.web;

import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the server gives each {@link WebComponent}: the Javalin app to add routes to, the
 * authentication rules, the page layout shared by every screen, and the metrics registry.
 */
public interface Web {

  /** The Javalin application; add routes with {@code app().get(...)}, {@code app().ws(...)}. */
  Javalin app();

  /** Who may do what: {@code web.auth().requireAdmin(ctx)} in a handler. */
  Auth auth();

  /** Renders a whole HTML page with the navigation bar around a component's body. */
  Layout layout();

  /** Gantry's own metrics, exported at {@code /metrics}. */
  MeterRegistry metrics();

  /**
   * Declares that mutating requests under {@code pathPrefix} authenticate themselves
   * (HMAC-signed hooks, agent tokens) so the admin-token filter lets them through.
   * The component's handlers must then check every such request themselves.
   */
  void selfAuthenticated(String pathPrefix);

  /**
   * Declares that requests under {@code pathPrefix} must come with a client certificate
   * issued by the CA the server is set to require ({@code server.agent-client-ca}); they are
   * answered 403, saying why, without one. No effect when the server requires none.
   *
   * <pre>{@code
   * web.requireClientCertificate("/api/ci/agent");
   * }</pre>
   */
  void requireClientCertificate(String pathPrefix);
}

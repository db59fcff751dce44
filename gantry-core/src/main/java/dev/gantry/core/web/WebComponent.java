package dev.gantry.core.web;

import java.util.Optional;

/**
 * A capability's part of the web server: its routes and its entry in the navigation bar.
 *
 * <p>The server calls {@link #register(Web)} once before it starts listening. Every route
 * whose method is not GET, HEAD or OPTIONS is refused with 401 unless the request carries
 * the admin token, except under prefixes the component declares with
 * {@link Web#selfAuthenticated(String)} (for example a git hook signed with HMAC).
 *
 * <pre>{@code
 * public final class HelloComponent implements WebComponent {
 *   public Optional<NavItem> nav() { return Optional.of(new NavItem("Hello", "/hello")); }
 *   public void register(Web web) {
 *     web.app().get("/hello", ctx -> ctx.html(web.layout().page("Hello", "/hello", "<p>hi</p>")));
 *   }
 * }
 * }</pre>
 */
public interface WebComponent extends AutoCloseable {

  /** The entry in the navigation bar, if the component has a page. */
  default Optional<NavItem> nav() {
    return Optional.empty();
  }

  /** Adds routes, WebSocket and SSE handlers to the server. */
  void register(Web web);

  /** Releases what the component holds; called when the server stops. */
  @Override
  default void close() throws Exception {}
}

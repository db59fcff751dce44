package dev.gantry.core.web;

/**
 * The page frame every screen shares: head, stylesheet {@code /assets/gantry.css},
 * the navigation bar, and the component's body.
 *
 * <pre>{@code
 * ctx.html(web.layout().page("Queue", "/ci", "<h1>Queue</h1>..."));
 * }</pre>
 */
public interface Layout {
  /**
   * A complete HTML document.
   *
   * @param title the page title (escaped here)
   * @param activePath the navigation entry to highlight, e.g. {@code "/ci"}
   * @param bodyHtml the component's HTML, already escaped where needed
   */
  String page(String title, String activePath, String bodyHtml);
}

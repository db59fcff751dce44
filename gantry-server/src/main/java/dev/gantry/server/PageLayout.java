package dev.gantry.server;

import dev.gantry.core.web.Html;
import dev.gantry.core.web.Layout;
import dev.gantry.core.web.NavItem;
import java.util.List;

/** The shared page frame: a navigation bar with every component that has a page. */
final class PageLayout implements Layout {
  private final List<NavItem> nav;

  PageLayout(List<NavItem> nav) {
    this.nav = List.copyOf(nav);
  }

  @Override
  public String page(String title, String activePath, String bodyHtml) {
    StringBuilder b = new StringBuilder(1024 + bodyHtml.length());
    b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(Html.escape(title)).append(" · Gantry</title>")
        .append("<link rel=\"stylesheet\" href=\"/assets/gantry.css\"></head><body>")
        .append("<nav class=\"topnav\"><a class=\"brand\" href=\"/\">Gantry</a>");
    for (NavItem item : nav) {
      boolean active = item.path().equals(activePath);
      b.append("<a href=\"").append(Html.escape(item.path())).append('"')
          .append(active ? " class=\"active\" aria-current=\"page\"" : "")
          .append('>').append(Html.escape(item.label())).append("</a>");
    }
    b.append("<span class=\"spacer\"></span><a href=\"/login\" id=\"login-link\">Sign in</a></nav>")
        .append("<main>").append(bodyHtml).append("</main></body></html>");
    return b.toString();
  }
}

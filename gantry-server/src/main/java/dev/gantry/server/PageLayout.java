package dev.gantry.server;

import dev.gantry.core.web.Html;
import dev.gantry.core.web.Layout;
import dev.gantry.core.web.NavItem;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The shared page frame: a navigation bar with every component that has a page and, on the
 * right, "Sign in" or who is signed in with a sign-out button; the shared stylesheet and
 * script ({@code gantry.js}: times shown relative, see docs/server.md).
 */
final class PageLayout implements Layout {
  private final List<NavItem> nav;
  private final BooleanSupplier signedIn;
  private final boolean inClear;

  /** {@code inClear}: served as plain HTTP to other machines by the operator's choice; every page says so. */
  PageLayout(List<NavItem> nav, BooleanSupplier signedIn, boolean inClear) {
    this.nav = List.copyOf(nav);
    this.signedIn = signedIn;
    this.inClear = inClear;
  }

  @Override
  public String page(String title, String activePath, String bodyHtml) {
    StringBuilder b = new StringBuilder(1024 + bodyHtml.length());
    b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(Html.escape(title)).append(" · Gantry</title>")
        .append("<link rel=\"icon\" href=\"/assets/favicon.svg\" type=\"image/svg+xml\">")
        .append("<link rel=\"stylesheet\" href=\"/assets/gantry.css\">")
        .append("<script src=\"/assets/gantry.js\" defer></script></head><body>")
        .append("<nav class=\"topnav\"><a class=\"brand\" href=\"/\">Gantry</a>");
    for (NavItem item : nav) {
      boolean active = item.path().equals(activePath);
      b.append("<a href=\"").append(Html.escape(item.path())).append('"')
          .append(active ? " class=\"active\" aria-current=\"page\"" : "")
          .append('>').append(Html.escape(item.label())).append("</a>");
    }
    b.append("<span class=\"spacer\"></span>");
    if (signedIn.getAsBoolean()) {
      b.append("<span id=\"signed-in\" class=\"signed-in\">Signed in as admin</span>")
          .append("<form method=\"post\" action=\"/logout\" class=\"signout\">")
          .append("<button type=\"submit\" id=\"sign-out\">Sign out</button></form>");
    } else {
      b.append("<a href=\"/login\" id=\"login-link\">Sign in</a>");
    }
    b.append("</nav>");
    if (inClear) {
      b.append("<p id=\"insecure-http\" class=\"banner warning\" role=\"alert\">This server is served over plain ")
          .append("HTTP (--insecure-http): the admin token and sign-ins cross the network unencrypted.</p>");
    }
    b.append("<main>").append(bodyHtml).append("</main></body></html>");
    return b.toString();
  }
}

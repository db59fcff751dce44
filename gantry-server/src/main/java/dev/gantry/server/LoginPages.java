package dev.gantry.server;

import dev.gantry.core.web.Auth;
import dev.gantry.core.web.Html;
import dev.gantry.core.web.Layout;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;

/**
 * Sign-in for browsers: the admin token typed once starts a server-side session whose random
 * id (never the token) goes into an HttpOnly, SameSite=Strict cookie, {@code Secure} over TLS,
 * so pages, SSE and WebSockets of the same origin are authenticated. Signing out ends the
 * session on the server, so a copy of the cookie is refused from then on.
 */
final class LoginPages {
  private LoginPages() {}

  static void register(Javalin app, Auth auth, Sessions sessions, Layout layout) {
    app.get("/login", ctx -> ctx.html(layout.page("Sign in", "/login", form(ctx.queryParam("next"), null))));
    app.post("/login", ctx -> {
      String next = GantryServer.safeNext(ctx.formParam("next")).orElse("/");
      if (!auth.matches(ctx.formParam("token"))) {
        ctx.status(HttpStatus.UNAUTHORIZED).html(layout.page("Sign in", "/login", form(next, "That is not the admin token.")));
        return;
      }
      // a fresh id on every sign-in: an id planted before cannot become signed in
      sessions.end(ctx.cookie(Auth.SESSION_COOKIE));
      String id = sessions.start();
      ctx.cookie(cookie(ctx, Auth.SESSION_COOKIE, id, (int) sessions.policy().absolute().toSeconds()));
      if (ctx.cookie(Auth.COOKIE) != null) {
        ctx.cookie(cookie(ctx, Auth.COOKIE, "", 0)); // the token itself, as earlier versions kept it
      }
      ctx.redirect(next, HttpStatus.SEE_OTHER);
    });
    app.post("/logout", ctx -> {
      sessions.end(ctx.cookie(Auth.SESSION_COOKIE));
      ctx.cookie(cookie(ctx, Auth.SESSION_COOKIE, "", 0));
      if (ctx.cookie(Auth.COOKIE) != null) {
        ctx.cookie(cookie(ctx, Auth.COOKIE, "", 0));
      }
      ctx.redirect("/", HttpStatus.SEE_OTHER);
    });
  }

  /** A cookie scripts cannot read and other sites' requests do not carry; {@code maxAge} 0 deletes it. */
  private static Cookie cookie(Context ctx, String name, String value, int maxAge) {
    Cookie c = new Cookie(name, value);
    c.setHttpOnly(true);
    c.setSameSite(SameSite.STRICT);
    c.setPath("/");
    c.setMaxAge(maxAge);
    c.setSecure(overTls(ctx));
    return c;
  }

  /** Served over TLS, directly or through a proxy that says so; a wrong claim only hides the cookie from plain HTTP. */
  static boolean overTls(Context ctx) {
    return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
  }

  private static String form(String next, String error) {
    return "<h1>Sign in</h1>"
        + (error == null ? "" : "<p class=\"error\" role=\"alert\">" + Html.escape(error) + "</p>")
        + "<form method=\"post\" action=\"/login\" class=\"login\">"
        + "<label for=\"token\">Admin token</label>"
        + "<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" required>"
        + "<input type=\"hidden\" name=\"next\" value=\"" + Html.escape(GantryServer.safeNext(next).orElse("/")) + "\">"
        + "<button type=\"submit\">Sign in</button></form>"
        + "<p class=\"muted\">The token is in <code>gantry-data/admin-token</code> and was printed on the first start."
        + " The browser stays signed in until you sign out, or after a while without use.</p>";
  }
}

package dev.gantry.server;

import dev.gantry.core.web.Auth;
import dev.gantry.core.web.Html;
import dev.gantry.core.web.Layout;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

/**
 * Sign-in for browsers: the admin token typed once, kept in an HttpOnly, SameSite=Strict
 * cookie so pages, SSE and WebSockets of the same origin are authenticated.
 */
final class LoginPages {
  private LoginPages() {}

  static void register(Javalin app, Auth auth, Layout layout) {
    app.get("/login", ctx -> ctx.html(layout.page("Sign in", "/login", form(ctx.queryParam("next"), null))));
    app.post("/login", ctx -> {
      String next = GantryServer.safeNext(ctx.formParam("next")).orElse("/");
      if (!auth.matches(ctx.formParam("token"))) {
        ctx.status(401).html(layout.page("Sign in", "/login", form(next, "That is not the admin token.")));
        return;
      }
      Cookie cookie = new Cookie(Auth.COOKIE, ctx.formParam("token"));
      cookie.setHttpOnly(true);
      cookie.setSameSite(SameSite.STRICT);
      cookie.setPath("/");
      cookie.setSecure("https".equals(ctx.scheme()));
      ctx.cookie(cookie);
      ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
    });
    app.post("/logout", ctx -> {
      ctx.removeCookie(Auth.COOKIE, "/");
      ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
    });
  }

  private static String form(String next, String error) {
    return "<h1>Sign in</h1>"
        + (error == null ? "" : "<p class=\"error\" role=\"alert\">" + Html.escape(error) + "</p>")
        + "<form method=\"post\" action=\"/login\" class=\"login\">"
        + "<label for=\"token\">Admin token</label>"
        + "<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" required>"
        + "<input type=\"hidden\" name=\"next\" value=\"" + Html.escape(GantryServer.safeNext(next).orElse("/")) + "\">"
        + "<button type=\"submit\">Sign in</button></form>"
        + "<p class=\"muted\">The token is in <code>gantry-data/admin-token</code> and was printed on the first start.</p>";
  }

  static boolean isSignedIn(Context ctx, Auth auth) {
    return auth.isAdmin(ctx);
  }
}

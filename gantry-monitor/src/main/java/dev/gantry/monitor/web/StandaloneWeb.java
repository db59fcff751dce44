package dev.gantry.monitor.web;

import dev.gantry.core.web.Auth;
import dev.gantry.core.web.Html;
import dev.gantry.core.web.Layout;
import dev.gantry.core.web.NavItem;
import dev.gantry.core.web.Web;
import dev.gantry.core.web.WebComponent;
import io.javalin.Javalin;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import io.javalin.http.staticfiles.Location;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A small web server for running the monitor alone ({@code gantry monitor}, as on the
 * seed's dedicated monitoring VM): serves the components' pages and assets, asks for the
 * admin token on every mutating request, and offers a sign-in form that sets the session
 * cookie. Inside {@code gantry server} the full web server plays this part.
 *
 * <pre>{@code
 * try (StandaloneWeb web = StandaloneWeb.start("127.0.0.1", 5556, token, monitor.webComponent())) { ... }
 * }</pre>
 */
public final class StandaloneWeb implements Web, AutoCloseable {
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private final Javalin app;
  private final Auth auth;
  private final MeterRegistry metrics = new SimpleMeterRegistry();
  private final List<String> selfAuthenticated = new ArrayList<>();
  private final List<NavItem> nav = new ArrayList<>();

  private StandaloneWeb(String token) {
    this.auth = new Auth(token);
    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.staticFiles.add(s -> {
        s.hostedPath = "/";
        s.directory = "/web";
        s.location = Location.CLASSPATH;
      });
    });
    app.before(ctx -> {
      boolean exempt = ctx.path().equals("/login") || selfAuthenticated.stream().anyMatch(ctx.path()::startsWith);
      if (!SAFE_METHODS.contains(ctx.method().name()) && !exempt) {
        auth.requireAdmin(ctx);
      }
    });
    app.get("/login", ctx -> ctx.html(layout().page("Sign in", "/login", """
        <h1>Sign in</h1>
        <form method="post" action="/login"><label>Admin token <input type="password" name="token" autocomplete="off"></label>
        <button type="submit">Sign in</button></form>""")));
    app.post("/login", ctx -> {
      if (!auth.matches(ctx.formParam("token"))) {
        ctx.status(HttpStatus.UNAUTHORIZED).html(layout().page("Sign in", "/login", "<p>Wrong token.</p>"));
        return;
      }
      Cookie c = new Cookie(Auth.COOKIE, ctx.formParam("token"));
      c.setHttpOnly(true);
      c.setSameSite(SameSite.STRICT);
      c.setPath("/");
      ctx.cookie(c);
      ctx.redirect("/monitor");
    });
    app.get("/", ctx -> ctx.redirect("/monitor"));
  }

  /** Starts a server on {@code host:port} (0 for a free port) with the given components. */
  public static StandaloneWeb start(String host, int port, String token, WebComponent... components) {
    StandaloneWeb web = new StandaloneWeb(token);
    for (WebComponent c : components) {
      c.nav().ifPresent(web.nav::add);
      c.register(web);
    }
    web.app.start(host, port);
    return web;
  }

  public int port() {
    return app.port();
  }

  @Override
  public Javalin app() {
    return app;
  }

  @Override
  public Auth auth() {
    return auth;
  }

  @Override
  public Layout layout() {
    return (title, activePath, bodyHtml) -> {
      StringBuilder links = new StringBuilder();
      for (NavItem n : nav) {
        links.append("<a href=\"").append(Html.escape(n.path())).append("\"")
            .append(n.path().equals(activePath) ? " class=\"active\"" : "").append(">")
            .append(Html.escape(n.label())).append("</a> ");
      }
      return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + Html.escape(title)
          + " · Gantry</title><link rel=\"stylesheet\" href=\"/assets/gantry.css\"></head><body><nav>"
          + links + "<a href=\"/login\">Sign in</a></nav><main>" + bodyHtml + "</main></body></html>";
    };
  }

  @Override
  public MeterRegistry metrics() {
    return metrics;
  }

  @Override
  public void selfAuthenticated(String pathPrefix) {
    selfAuthenticated.add(pathPrefix);
  }

  @Override
  public void close() {
    app.stop();
  }
}

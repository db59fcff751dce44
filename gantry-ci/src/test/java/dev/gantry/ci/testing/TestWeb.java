package dev.gantry.ci.testing;

import dev.gantry.core.web.Auth;
import dev.gantry.core.web.Layout;
import dev.gantry.core.web.Web;
import dev.gantry.core.web.WebComponent;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * A stand-in for the Gantry server in tests: a Javalin app on 127.0.0.1 that follows the
 * server's rules (non-GET needs the admin token unless under a self-authenticated prefix).
 */
public final class TestWeb implements Web, AutoCloseable {
  public static final String ADMIN_TOKEN = "admin-token-0123456789";

  private final Javalin app;
  private final Auth auth = new Auth(ADMIN_TOKEN);
  private final Set<String> selfAuthenticated = new CopyOnWriteArraySet<>();
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  private TestWeb() {
    app = Javalin.create(c -> {
      c.showJavalinBanner = false;
      c.staticFiles.add(s -> {
        s.directory = "/web";
        s.location = Location.CLASSPATH;
      });
    });
    app.before(ctx -> {
      String m = ctx.method().name();
      if (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")) {
        return;
      }
      for (String prefix : selfAuthenticated) {
        if (ctx.path().startsWith(prefix)) {
          return;
        }
      }
      auth.requireAdmin(ctx);
    });
  }

  /** Starts on 127.0.0.1:{@code port} (0: any) with the components mounted. */
  public static TestWeb start(int port, List<WebComponent> components) {
    TestWeb w = new TestWeb();
    for (WebComponent c : components) {
      c.register(w);
    }
    w.app.start("127.0.0.1", port);
    return w;
  }

  public int port() {
    return app.port();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
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
    return (title, active, body) -> "<!doctype html><html><head><title>" + dev.gantry.core.web.Html.escape(title)
        + "</title></head><body>" + body + "</body></html>";
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

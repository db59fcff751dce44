package dev.gantry.bench.ci;

import dev.gantry.core.web.Auth;
import dev.gantry.core.web.Layout;
import dev.gantry.core.web.Web;
import dev.gantry.core.web.WebComponent;
import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The least web server the CI component needs, on 127.0.0.1. */
final class BenchWeb implements Web, AutoCloseable {
  private final Javalin app = Javalin.create(c -> c.showJavalinBanner = false);
  private final Auth auth = new Auth("bench-admin-token-0123456789");
  private final MeterRegistry metrics = new SimpleMeterRegistry();

  static BenchWeb startOn(dev.gantry.ci.server.CiService ci, int port) {
    BenchWeb w = new BenchWeb();
    WebComponent component = ci.webComponent();
    component.register(w);
    w.app.start("127.0.0.1", port);
    return w;
  }

  String url() {
    return "http://127.0.0.1:" + app.port();
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
    return (title, active, body) -> body;
  }

  @Override
  public MeterRegistry metrics() {
    return metrics;
  }

  @Override
  public void selfAuthenticated(String pathPrefix) {
    // the bench sends only agent and hook requests, which check themselves
  }

  @Override
  public void close() {
    app.stop();
  }
}

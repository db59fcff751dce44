package dev.gantry.server;

import dev.gantry.core.Gantry;
import dev.gantry.core.UserError;
import dev.gantry.core.web.Auth;
import dev.gantry.core.web.Html;
import dev.gantry.core.web.Layout;
import dev.gantry.core.web.NavItem;
import dev.gantry.core.web.Web;
import dev.gantry.core.web.WebComponent;
import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server that hosts the web UI and the HTTP APIs of every component.
 *
 * <pre>{@code
 * try (GantryServer server = GantryServer.start(ServerSettings.defaults(dir), List.of(monitorWeb))) {
 *   System.out.println(server.url());
 *   server.awaitStop();
 * }
 * }</pre>
 *
 * <p>Requests other than GET, HEAD and OPTIONS need the admin token (or a browser's sign-in
 * session, from this server's own pages) unless a component declared their path as
 * self-authenticated. {@code GET /metrics} serves the process's
 * {@link ProcessMetrics}: the assembly passes the one its components count into.
 */
public final class GantryServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GantryServer.class);
  private static final Set<HandlerType> SAFE = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(3);
  /** Where Jetty puts the certificate chain a TLS client presented. */
  private static final String CLIENT_CHAIN_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

  private final Javalin app;
  private final AdminToken token;
  private final List<WebComponent> components;
  private final ProcessMetrics metrics;
  private final AutoCloseable ownMetrics;
  private final String host;
  private final String scheme;

  private GantryServer(Javalin app, AdminToken token, List<WebComponent> components,
      ProcessMetrics metrics, AutoCloseable ownMetrics, String host, String scheme) {
    this.app = app;
    this.token = token;
    this.components = components;
    this.metrics = metrics;
    this.ownMetrics = ownMetrics;
    this.host = host;
    this.scheme = scheme;
  }

  /**
   * Starts listening with a registry of its own, closed with the server (a server alone, as in
   * tests); a port already in use is a {@link UserError} naming it.
   */
  public static GantryServer start(ServerSettings settings, List<WebComponent> components) {
    ProcessMetrics own = ProcessMetrics.start();
    try {
      return start(settings, components, own, own);
    } catch (RuntimeException e) {
      own.close();
      throw e;
    }
  }

  /**
   * Starts listening and serves {@code metrics} at {@code /metrics}, which stays open when the
   * server closes (its owner, the assembly, closes it after every component); a port already
   * in use is a {@link UserError} naming it.
   */
  public static GantryServer start(ServerSettings settings, List<WebComponent> components, ProcessMetrics metrics) {
    return start(settings, components, metrics, () -> { });
  }

  private static GantryServer start(ServerSettings settings, List<WebComponent> components, ProcessMetrics metrics,
      AutoCloseable ownMetrics) {
    settings.requireSafeBinding();
    AdminToken token = settings.token()
        .map(t -> new AdminToken(t, false, null))
        .orElseGet(() -> AdminToken.loadOrCreate(settings.dataDir()));
    Sessions sessions = new Sessions(settings.sessions(), Clock.systemUTC());
    Auth auth = new Auth(token.value(), sessions::touch);
    CurrentViewer viewer = new CurrentViewer();

    List<NavItem> nav = new ArrayList<>();
    components.forEach(c -> c.nav().ifPresent(nav::add));
    Layout layout = new PageLayout(nav, viewer::signedIn, settings.insecureHttp() && !settings.loopbackOnly());
    List<String> selfAuthenticated = new CopyOnWriteArrayList<>(List.of("/login", "/logout"));
    Optional<ClientCertificateCheck> clientCheck = settings.tls().flatMap(ServerSettings.Tls::clientCa)
        .map(ClientCertificateCheck::new);
    List<String> clientCertificatePaths = new CopyOnWriteArrayList<>();

    Javalin app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.useVirtualThreads = true;
      cfg.jetty.defaultHost = settings.host();
      cfg.jetty.defaultPort = settings.port();
      cfg.jetty.modifyServer(s -> s.setStopTimeout(STOP_TIMEOUT.toMillis()));
      if (settings.tls().isPresent()) {
        cfg.jetty.addConnector((server, http) -> HttpsConnector.create(server, http, settings, clientCheck));
      }
      cfg.requestLogger.http((ctx, ms) -> recordRequest(metrics.registry(), ctx, ms));
    });

    app.before(ctx -> {
      if (clientCheck.isPresent() && clientCertificatePaths.stream().anyMatch(ctx.path()::startsWith)) {
        clientCheck.get().refusal((X509Certificate[]) ctx.req().getAttribute(CLIENT_CHAIN_ATTRIBUTE))
            .ifPresent(why -> {
              throw new ForbiddenResponse(why);
            });
      }
      boolean unsafe = !SAFE.contains(ctx.method());
      if (unsafe && byCookie(ctx)) {
        SameOrigin.refusal(ctx.header("Sec-Fetch-Site"), ctx.header("Origin"), ctx.host()).ifPresent(why -> {
          throw new ForbiddenResponse(why);
        });
      }
      if (unsafe && selfAuthenticated.stream().noneMatch(ctx.path()::startsWith)) {
        auth.requireAdmin(ctx);
      }
      viewer.enter(hasSignInCookie(ctx) && auth.isAdmin(ctx));
    });
    app.after(ctx -> viewer.leave());
    app.get("/healthz", ctx -> ctx.json(new Health("ok", Gantry.version())));
    app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    app.get("/assets/<path>", Assets::serve);
    // browsers ask for /favicon.ico on pages without a link to the icon (JSON, plain text)
    app.get("/favicon.ico", ctx -> Assets.serve(ctx, "favicon.svg"));
    app.get("/", ctx -> ctx.html(layout.page("Overview", "/", overview(nav, auth.isAdmin(ctx)))));
    LoginPages.register(app, auth, sessions, layout);

    Web web = new Web() {
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
        return layout;
      }

      @Override
      public MeterRegistry metrics() {
        return metrics.registry();
      }

      @Override
      public void selfAuthenticated(String pathPrefix) {
        if (!pathPrefix.startsWith("/")) {
          throw new IllegalArgumentException("path prefix must start with '/': " + pathPrefix);
        }
        selfAuthenticated.add(pathPrefix);
      }

      @Override
      public void requireClientCertificate(String pathPrefix) {
        if (!pathPrefix.startsWith("/")) {
          throw new IllegalArgumentException("path prefix must start with '/': " + pathPrefix);
        }
        clientCertificatePaths.add(pathPrefix);
      }
    };
    for (WebComponent c : components) {
      c.register(web);
    }
    try {
      app.start();
    } catch (Exception e) { // Javalin rethrows Jetty's checked start failures unchecked
      if (hasCause(e, BindException.class) || hasCause(e, JavalinBindException.class)
          || !portFree(settings.host(), settings.port())) {
        throw new UserError("cannot listen on " + settings.host() + ":" + settings.port()
            + ": the address is in use or not available (set server.port or --port)", e);
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException("the web server did not start", e);
    }
    String scheme = settings.tls().isPresent() ? "https" : "http";
    log.info("Gantry {} listening on {}://{}:{}", Gantry.version(), scheme, settings.host(), app.port());
    if (settings.insecureHttp() && !settings.loopbackOnly()) {
      log.warn("serving plain HTTP on {} (--insecure-http): tokens and sign-ins cross the network in clear",
          settings.host());
    }
    return new GantryServer(app, token, List.copyOf(components), metrics, ownMetrics, settings.host(), scheme);
  }

  /** A browser acting by its cookie rather than an API client sending the token in a header. */
  private static boolean byCookie(Context ctx) {
    return ctx.header("Authorization") == null && hasSignInCookie(ctx);
  }

  private static boolean hasSignInCookie(Context ctx) {
    return ctx.cookie(Auth.SESSION_COOKIE) != null || ctx.cookie(Auth.COOKIE) != null;
  }

  private static boolean portFree(String host, int port) {
    if (port == 0) {
      return true;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static void recordRequest(MeterRegistry metrics, Context ctx, float ms) {
    String route;
    try {
      route = ctx.endpointHandlerPath();
    } catch (RuntimeException e) {
      route = "UNMATCHED";
    }
    if (ctx.status() == HttpStatus.NOT_FOUND) {
      route = "UNMATCHED";
    }
    Timer.builder("http.server.requests")
        .tag("method", ctx.method().name())
        .tag("uri", route)
        .tag("status", Integer.toString(ctx.statusCode()))
        .register(metrics)
        .record((long) (ms * 1_000_000L), TimeUnit.NANOSECONDS);
  }

  private static String overview(List<NavItem> nav, boolean admin) {
    StringBuilder b = new StringBuilder("<h1>Gantry</h1><p class=\"lead\">Infrastructure as Java code: ")
        .append("gated CI, provisioning, host configuration, deployment and monitoring.</p>");
    b.append("<section class=\"cards\">");
    if (nav.isEmpty()) {
      b.append("<p>No capability is enabled on this server.</p>");
    }
    for (NavItem item : nav) {
      b.append("<a class=\"card\" href=\"").append(Html.escape(item.path())).append("\"><h2>")
          .append(Html.escape(item.label())).append("</h2></a>");
    }
    b.append("</section><p class=\"muted\">")
        .append(admin ? "Signed in as admin." : "Read-only view. <a href=\"/login\">Sign in</a> with the admin token to act.")
        .append(" Health: <a href=\"/healthz\">/healthz</a> · Metrics: <a href=\"/metrics\">/metrics</a></p>");
    return b.toString();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080}, or {@code https://...} when serving TLS. */
  public String url() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return scheme + "://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : h) + ":" + app.port();
  }

  public int port() {
    return app.port();
  }

  /** The admin token in use; {@link AdminToken#created()} is true the first time. */
  public AdminToken adminToken() {
    return token;
  }

  /** The registry served at {@code /metrics}. */
  public MeterRegistry metrics() {
    return metrics.registry();
  }

  /** Stops accepting requests, lets running ones finish (up to a few seconds), closes components. */
  @Override
  public void close() {
    try {
      app.stop();
    } catch (RuntimeException e) {
      // requests still running after the grace period (agents' long polls) are cut; the
      // connectors are closed either way, and the components must still be closed
      log.info("stopped with requests still in flight after {} s: {}", STOP_TIMEOUT.toSeconds(), e.toString());
    }
    for (WebComponent c : components) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
    try {
      ownMetrics.close();
    } catch (Exception e) {
      log.warn("closing the metrics failed: {}", e.toString());
    }
  }

  /** The body of {@code GET /healthz}. */
  public record Health(String status, String version) {}

  static String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static Optional<String> safeNext(String next) {
    if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")) {
      return Optional.empty();
    }
    return Optional.of(next);
  }
}

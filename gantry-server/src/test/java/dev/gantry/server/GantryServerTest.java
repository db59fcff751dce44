package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.web.NavItem;
import dev.gantry.core.web.Web;
import dev.gantry.core.web.WebComponent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GantryServerTest {
  @TempDir Path data;
  GantryServer server;
  final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  final AtomicInteger hookCalls = new AtomicInteger();

  /** A component with a public page, an admin action and a self-authenticated hook. */
  final WebComponent sample = new WebComponent() {
    @Override
    public Optional<NavItem> nav() {
      return Optional.of(new NavItem("Sample", "/sample"));
    }

    @Override
    public void register(Web web) {
      web.app().get("/sample", ctx -> ctx.html(web.layout().page("Sample", "/sample", "<p id=x>sample page</p>")));
      web.app().post("/api/sample/action", ctx -> ctx.result("done"));
      web.selfAuthenticated("/api/sample/hook");
      web.app().post("/api/sample/hook", ctx -> {
        hookCalls.incrementAndGet();
        ctx.result("hooked");
      });
    }
  };

  @BeforeEach
  void start() {
    server = GantryServer.start(ServerSettings.defaults(data).withPort(0), List.of(sample));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest.Builder req(String path) {
    return HttpRequest.newBuilder(URI.create(server.url() + path));
  }

  @Test
  void healthzAnswersOk() throws Exception {
    var r = send(req("/healthz"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"status\":\"ok\"");
  }

  @Test
  void metricsExposeJvmAndHttpInPrometheusFormat() throws Exception {
    send(req("/healthz"));
    var r = send(req("/metrics"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(r.body()).contains("jvm_memory_used_bytes").contains("http_server_requests_seconds_count")
        .contains("uri=\"/healthz\"");
  }

  @Test
  void metricsServeTheRegistryTheProcessShares() throws Exception {
    try (ProcessMetrics shared = ProcessMetrics.start()) {
      shared.registry().counter("gantry.sample.done").increment();
      GantryServer withShared = GantryServer.start(ServerSettings.defaults(data).withPort(0), List.of(sample), shared);
      try {
        var r = http.send(HttpRequest.newBuilder(URI.create(withShared.url() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).contains("gantry_sample_done_total 1.0").contains("jvm_memory_used_bytes");
        assertThat(withShared.metrics()).isSameAs(shared.registry());
      } finally {
        withShared.close();
      }
      // the registry belongs to the process: components still count into it after the server stopped
      assertThat(shared.registry().isClosed()).isFalse();
    }
  }

  @Test
  void uiShellRendersNavigationForComponents() throws Exception {
    var r = send(req("/"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("<nav class=\"topnav\"").contains("href=\"/sample\"");
    assertThat(send(req("/assets/gantry.css")).body()).contains(".topnav");
    assertThat(send(req("/assets/../admin-token")).statusCode()).isEqualTo(404);
  }

  @Test
  void theSharedScriptsTheChartingLibraryAndTheIconAreServedFromTheJar() throws Exception {
    var script = send(req("/assets/gantry.js"));
    assertThat(script.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
    assertThat(script.body()).contains("time[datetime]");
    var uplot = send(req("/assets/vendor/uplot/uPlot.iife.min.js"));
    assertThat(uplot.statusCode()).isEqualTo(200);
    assertThat(uplot.body()).startsWith("/*! https://github.com/leeoniya/uPlot (v1.6.32) */");
    assertThat(send(req("/assets/vendor/uplot/uPlot.min.css")).body()).contains(".uplot");
    assertThat(send(req("/assets/vendor/uplot/LICENSE")).body()).contains("MIT");
    var icon = send(req("/favicon.ico"));
    assertThat(icon.headers().firstValue("content-type")).hasValue("image/svg+xml");
  }

  @Test
  void unauthenticatedMutatingRequestGets401() throws Exception {
    var r = send(req("/api/sample/action").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("www-authenticate")).isPresent();
    var wrong = send(req("/api/sample/action").header("Authorization", "Bearer not-the-token-0000000")
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(send(req("/api/sample/action").method("DELETE", HttpRequest.BodyPublishers.noBody())).statusCode())
        .isEqualTo(401);
    assertThat(send(req("/api/unknown").PUT(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(401);
  }

  @Test
  void adminTokenAllowsMutatingRequest() throws Exception {
    var r = send(req("/api/sample/action").header("Authorization", "Bearer " + server.adminToken().value())
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("done");
  }

  @Test
  void selfAuthenticatedPrefixIsLeftToTheComponent() throws Exception {
    var r = send(req("/api/sample/hook").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(hookCalls).hasValue(1);
  }

  @Test
  void tokenIsGeneratedOnceWithMode0600AndReused() throws Exception {
    Path file = data.resolve("admin-token");
    assertThat(server.adminToken().created()).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    String first = server.adminToken().value();
    server.close();
    server = GantryServer.start(ServerSettings.defaults(data).withPort(0), List.of(sample));
    assertThat(server.adminToken().created()).isFalse();
    assertThat(server.adminToken().value()).isEqualTo(first);
    assertThat(server.adminToken().toString()).doesNotContain(first);
  }

  HttpResponse<String> signIn(String token, String next) throws Exception {
    return send(req("/login").header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("token=" + GantryServer.urlEncode(token) + "&next=" + next)));
  }

  /** Signs in and returns the cookie as the browser sends it back: {@code gantry_session=...}. */
  String sessionCookie() throws Exception {
    return signIn(server.adminToken().value(), "/").headers().firstValue("set-cookie").orElseThrow().split(";")[0];
  }

  /** A form post as a browser sends it from the server's own page. */
  HttpRequest.Builder formPost(String path, String cookie) {
    return req(path).header("Cookie", cookie).header("Origin", server.url())
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.noBody());
  }

  @Test
  void signInSetsARandomSessionCookieNotTheToken() throws Exception {
    var bad = signIn("wrong", "/sample");
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.headers().firstValue("set-cookie")).isEmpty();
    assertThat(bad.body()).contains("not the admin token").doesNotContain("wrong&");

    var ok = signIn(server.adminToken().value(), "//evil.example/");
    assertThat(ok.statusCode()).isEqualTo(303);
    assertThat(ok.headers().firstValue("location")).hasValue("/");
    String cookie = ok.headers().firstValue("set-cookie").orElseThrow();
    assertThat(cookie).startsWith("gantry_session=").contains("HttpOnly").containsIgnoringCase("SameSite=Strict")
        .contains("Path=/").contains("Max-Age=" + SessionPolicy.DEFAULT.absolute().toSeconds())
        .doesNotContain("Secure").doesNotContain(server.adminToken().value());
    String id = cookie.split(";")[0].substring("gantry_session=".length());
    assertThat(id).matches("[A-Za-z0-9_-]{43}");
    assertThat(sessionCookie()).as("each sign-in a new id").isNotEqualTo(cookie.split(";")[0]);

    assertThat(send(formPost("/api/sample/action", cookie.split(";")[0])).statusCode()).isEqualTo(200);
  }

  @Test
  void aSignInWithoutATokenIsAClearErrorNotAStackTrace() throws Exception {
    for (String body : List.of("", "token=", "next=/sample", "{\"token\":\"x\"}", "token=%zz")) {
      var r = send(req("/login").header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(body)));
      assertThat(r.statusCode()).as(body).isIn(400, 401);
      assertThat(r.headers().firstValue("set-cookie")).as(body).isEmpty();
      assertThat(r.body()).as(body).doesNotContain("Exception").doesNotContain("at dev.gantry").doesNotContain("at io.javalin");
    }
    var empty = signIn("", "/sample");
    assertThat(empty.statusCode()).isEqualTo(401);
    assertThat(empty.body()).contains("That is not the admin token.");
  }

  @Test
  void theCookieIsSecureWhenServedOverTls() throws Exception {
    var ok = send(req("/login").header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-Proto", "https")
        .POST(HttpRequest.BodyPublishers.ofString("token=" + server.adminToken().value())));
    assertThat(ok.headers().firstValue("set-cookie")).hasValueSatisfying(c -> assertThat(c).contains("Secure"));
  }

  @Test
  void theTopBarSaysSignedInOnlyWithALiveSession() throws Exception {
    assertThat(send(req("/sample")).body()).contains(">Sign in<").doesNotContain("Sign out");
    String cookie = sessionCookie();
    String page = send(req("/sample").header("Cookie", cookie)).body();
    assertThat(page).contains("Signed in as admin").contains("id=\"sign-out\"").doesNotContain(">Sign in<")
        .doesNotContain(server.adminToken().value()).doesNotContain(cookie.substring("gantry_session=".length()));
    assertThat(send(req("/sample").header("Cookie", "gantry_session=" + "A".repeat(43))).body()).contains(">Sign in<");
  }

  @Test
  void signingOutEndsTheSessionOnTheServer() throws Exception {
    String cookie = sessionCookie();
    var out = send(formPost("/logout", cookie));
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().allValues("set-cookie")).anySatisfy(c -> assertThat(c).startsWith("gantry_session=;").contains("Max-Age=0"));
    // a copy of the old cookie no longer works
    var replayed = send(formPost("/api/sample/action", cookie));
    assertThat(replayed.statusCode()).isEqualTo(401);
    assertThat(send(req("/sample").header("Cookie", cookie)).body()).contains(">Sign in<");
  }

  @Test
  void anExpiredSessionIsRefused() throws Exception {
    server.close();
    server = GantryServer.start(ServerSettings.defaults(data).withPort(0)
        .withSessions(new SessionPolicy(Duration.ofMillis(700), Duration.ofHours(1))), List.of(sample));
    String cookie = sessionCookie();
    assertThat(send(formPost("/api/sample/action", cookie)).statusCode()).isEqualTo(200);
    Thread.sleep(1_000);
    assertThat(send(formPost("/api/sample/action", cookie)).statusCode()).isEqualTo(401);
    assertThat(send(req("/sample").header("Cookie", cookie)).body()).contains(">Sign in<");
  }

  @Test
  void forgedOrMalformedCookiesAreRefused() throws Exception {
    sessionCookie();
    for (String forged : List.of("gantry_session=" + "A".repeat(43), "gantry_session=", "gantry_session=%00%ff",
        "gantry_session=" + "x".repeat(5000), "gantry_token=not-the-token-0000000")) {
      var r = send(formPost("/api/sample/action", forged));
      assertThat(r.statusCode()).as(forged).isEqualTo(401);
      assertThat(r.body()).as(forged).doesNotContain("Exception").doesNotContain("at dev.gantry");
    }
  }

  @Test
  void aSignedInBrowserCanChangeThingsOnlyFromThisServersPages() throws Exception {
    String cookie = sessionCookie();
    var noOrigin = send(req("/api/sample/action").header("Cookie", cookie).POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(noOrigin.statusCode()).isEqualTo(403);
    assertThat(noOrigin.body()).contains("names no Origin");
    var crossSite = send(req("/api/sample/action").header("Cookie", cookie).header("Origin", "http://evil.example")
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(crossSite.statusCode()).isEqualTo(403);
    var fetchMetadata = send(req("/api/sample/action").header("Cookie", cookie).header("Sec-Fetch-Site", "cross-site")
        .header("Origin", server.url()).POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(fetchMetadata.statusCode()).isEqualTo(403);
    assertThat(send(req("/logout").header("Cookie", cookie).header("Origin", "http://evil.example")
        .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).as("no forced sign-out either").isEqualTo(403);
    assertThat(send(formPost("/api/sample/action", cookie)).statusCode()).as("the session survived").isEqualTo(200);
    // API clients send the token in a header and need no Origin
    assertThat(send(req("/api/sample/action").header("Authorization", "Bearer " + server.adminToken().value())
        .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(200);
  }

  @Test
  void neitherTheTokenNorASessionIdIsLogged() throws Exception {
    var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    var seen = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    seen.start();
    logger.addAppender(seen);
    var previous = logger.getLevel();
    logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
    try {
      signIn("a-wrong-token-0123456789", "/");
      String cookie = sessionCookie();
      send(formPost("/api/sample/action", cookie));
      send(req("/api/sample/action").header("Cookie", cookie).POST(HttpRequest.BodyPublishers.noBody()));
      send(formPost("/logout", cookie));
      send(formPost("/api/sample/action", cookie));
      String id = cookie.substring("gantry_session=".length());
      assertThat(seen.list).allSatisfy(e -> assertThat(e.getFormattedMessage() + e.getThrowableProxy())
          .doesNotContain(server.adminToken().value()).doesNotContain(id).doesNotContain("a-wrong-token-0123456789"));
    } finally {
      logger.setLevel(previous);
      logger.detachAppender(seen);
    }
  }

  @Test
  void badSessionSettingsAreClearErrors() {
    assertThatThrownBy(() -> ServerConfig.SESSION_IDLE.parse("0s")).hasMessage("a positive duration");
    assertThatThrownBy(() -> ServerConfig.SESSION_MAX.parse("soon")).isInstanceOf(IllegalArgumentException.class);
    assertThat(ServerConfig.SESSION_MAX.parse("3d")).isEqualTo(Duration.ofDays(3));
    var config = dev.gantry.core.config.Config.builder(ServerConfig.settings())
        .flag("server.session-idle", "30m").flag("server.session-max", "1d").build();
    assertThat(ServerConfig.settingsFrom(config).sessions()).isEqualTo(new SessionPolicy(Duration.ofMinutes(30), Duration.ofDays(1)));
  }

  @Test
  void configuredTokenIsUsedAndNotWritten() throws Exception {
    server.close();
    Files.delete(data.resolve("admin-token"));
    server = GantryServer.start(ServerSettings.defaults(data).withPort(0).withToken("configured-token-123456"), List.of());
    assertThat(Files.exists(data.resolve("admin-token"))).isFalse();
    var r = send(req("/api/x").header("Authorization", "Bearer configured-token-123456")
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(r.statusCode()).isEqualTo(404);
  }

  @Test
  void portInUseIsAClearError() {
    assertThatThrownBy(() -> GantryServer.start(ServerSettings.defaults(data).withPort(server.port()), List.of()))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("cannot listen on 127.0.0.1:" + server.port());
  }

  @Test
  void bindsToLoopbackByDefault() {
    assertThat(ServerSettings.defaults(data).host()).isEqualTo("127.0.0.1");
    assertThat(server.url()).startsWith("http://127.0.0.1:");
  }

  @Test
  void shortTokenIsRefused() throws Exception {
    Path other = data.resolve("other");
    Files.createDirectories(other);
    Files.writeString(other.resolve("admin-token"), "short");
    assertThatThrownBy(() -> AdminToken.loadOrCreate(other)).isInstanceOf(UserError.class)
        .hasMessageContaining("shorter than 16");
  }
}

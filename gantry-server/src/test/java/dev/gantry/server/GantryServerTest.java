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

  @Test
  void loginSetsAStrictHttpOnlyCookieThatAuthenticates() throws Exception {
    var bad = send(req("/login").header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("token=wrong&next=/sample")));
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.headers().firstValue("set-cookie")).isEmpty();

    var ok = send(req("/login").header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("token=" + server.adminToken().value() + "&next=//evil.example/")));
    assertThat(ok.statusCode()).isEqualTo(303);
    assertThat(ok.headers().firstValue("location")).hasValue("/");
    String cookie = ok.headers().firstValue("set-cookie").orElseThrow();
    assertThat(cookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
    var withCookie = send(req("/api/sample/action").header("Cookie", cookie.split(";")[0])
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(withCookie.statusCode()).isEqualTo(200);
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

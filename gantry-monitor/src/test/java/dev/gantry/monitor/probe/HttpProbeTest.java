package dev.gantry.monitor.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.gantry.core.UserError;
import dev.gantry.core.definition.DefinitionError;
import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.Pki;
import dev.gantry.monitor.alert.Status;
import dev.gantry.monitor.client.Event;
import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP probes against a local HTTPS server with a 30-day certificate. */
class HttpProbeTest {
  @TempDir
  static Path dir;
  static Pki pki;
  static HttpsServer server;

  @BeforeAll
  static void start() throws Exception {
    pki = Pki.create(Files.createDirectories(dir.resolve("pki")), 30);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(pki.file("server.p12").toFile())) {
      ks.load(in, "test-only".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "test-only".toCharArray());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    server.createContext("/health", ex -> reply(ex, 200, "status: ok"));
    server.createContext("/broken", ex -> reply(ex, 503, "down for maintenance"));
    server.createContext("/slow", ex -> {
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      reply(ex, 200, "ok");
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws java.io.IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  static String url(String path) {
    return "https://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  static List<Event> check(HttpProbe p) {
    return ProbeRunner.check(p, ProbeRunner.client(p), Clock.systemUTC());
  }

  @Test
  void aHealthyEndpointIsOkAndTheCertificateDaysAreReported() {
    List<Event> events = check(HttpProbe.get(url("/health")).trusting(pki.file("ca.crt")).expectBody("ok").warnCertDaysBelow(60));
    assertThat(events).hasSize(2);
    Event main = events.get(0);
    assertThat(main.service()).isEqualTo("probe 127.0.0.1/health");
    assertThat(main.state()).isEqualTo("ok");
    assertThat(main.metricValue()).isPositive();
    assertThat(main.tags()).contains("probe", "http");
    Event cert = events.get(1);
    assertThat(cert.service()).isEqualTo("probe 127.0.0.1/health tls cert days");
    assertThat(cert.metricValue()).isBetween(29.0, 30.0);
    assertThat(cert.state()).isEqualTo("warning");
  }

  @Test
  void fewerDaysThanTheCriticalThresholdAreCriticalAndEnoughAreOk() {
    HttpProbe p = HttpProbe.get(url("/health")).trusting(pki.file("ca.crt"));
    assertThat(check(p.warnCertDaysBelow(60).criticalCertDaysBelow(31)).get(1).state()).isEqualTo("critical");
    assertThat(check(p.warnCertDaysBelow(20).criticalCertDaysBelow(10)).get(1).state()).isEqualTo("ok");
  }

  @Test
  void negativeCertificateDaysAndAMissingCaFileAreRefusedWithTheProbesName() {
    assertThatThrownBy(() -> HttpProbe.get(url("/health")).named("app").criticalCertDaysBelow(-1))
        .isInstanceOf(DefinitionError.class)
        .hasMessage("probe 'app': certificate days must be 0 or more, got warning 14 and critical -1");
    assertThatThrownBy(() -> ProbeRunner.client(HttpProbe.get(url("/health")).named("app")
        .trusting(dir.resolve("nowhere/ca.crt"))))
        .isInstanceOf(UserError.class)
        .hasMessage("probe 'app': the certificate file " + dir.resolve("nowhere/ca.crt") + " does not exist");
  }

  @Test
  void wrongStatusWrongBodyTimeoutAndUntrustedAreCritical() {
    assertThat(check(HttpProbe.get(url("/broken")).trusting(pki.file("ca.crt"))).get(0).description())
        .isEqualTo("HTTP 503, expected 200");
    assertThat(check(HttpProbe.get(url("/health")).trusting(pki.file("ca.crt")).expectBody("healthy")).get(0).description())
        .isEqualTo("the body does not contain 'healthy'");
    assertThat(check(HttpProbe.get(url("/slow")).trusting(pki.file("ca.crt")).timeout(Duration.ofMillis(300))).get(0).description())
        .isEqualTo("no answer within 300 ms");
    Event untrusted = check(HttpProbe.get(url("/health"))).get(0);
    assertThat(untrusted.state()).isEqualTo("critical");
    assertThat(untrusted.description()).startsWith("request failed:");
    Event refused = check(HttpProbe.get("http://127.0.0.1:1/")).get(0);
    assertThat(refused.state()).isEqualTo("critical");
  }

  @Test
  void declaredProbesFeedTheIndexAndRaiseAlerts() throws Exception {
    try (MonitorService m = MonitorService.start(MonitorSettings.defaults().withTcpPort(-1).withUdpPort(-1)
        .withTick(Duration.ofMillis(100)), dir.resolve("data"))) {
      m.apply(List.of(), List.of(
          HttpProbe.get(url("/health")).named("app").trusting(pki.file("ca.crt")).every(Duration.ofMillis(500)),
          HttpProbe.get(url("/broken")).named("admin").trusting(pki.file("ca.crt")).every(Duration.ofMillis(500))));
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        assertThat(m.engine().call(c -> c.query("service = \"probe app\" and state = \"ok\"")).get()).hasSize(1);
        assertThat(m.engine().call(c -> c.book().alert("probe-failed", "127.0.0.1", "probe admin")).get())
            .hasValueSatisfying(a -> assertThat(a.status()).isEqualTo(Status.FIRING));
      });
    }
  }
}

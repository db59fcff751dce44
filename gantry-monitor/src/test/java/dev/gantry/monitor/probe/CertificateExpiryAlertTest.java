package dev.gantry.monitor.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.host.ca.CertificateAuthority;
import dev.gantry.host.ca.CertificateAuthority.Issued;
import dev.gantry.host.ca.CertificateAuthority.Subject;
import dev.gantry.host.ca.CertificateAuthority.Use;
import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.alert.Alert;
import dev.gantry.monitor.alert.Status;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole road of a certificate near expiry: {@code openssl s_server} serves a certificate
 * issued by the team's CA ({@link CertificateAuthority}), a probe trusting that CA watches it,
 * the built-in rule raises "probe-failed" (a warning, then critical), and a fresh certificate
 * resolves it.
 */
@Tag("integration")
class CertificateExpiryAlertTest {
  private static final String CERT_SERVICE = "probe web tls cert days";

  @TempDir
  Path dir;
  Process server;

  @AfterEach
  void stopServer() throws InterruptedException {
    stop();
  }

  @Test
  void aCertificateNearExpiryRaisesTheAlertAndARenewedOneResolvesIt() throws Exception {
    Issued ca = CertificateAuthority.create("Test Team CA", Duration.ofDays(3650), Clock.systemUTC());
    Path caFile = Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
    int port = freePort();

    serve(ca, Duration.ofDays(5), port);
    try (MonitorService m = MonitorService.start(MonitorSettings.defaults().withTcpPort(-1).withUdpPort(-1)
        .withTick(Duration.ofMillis(100)), dir.resolve("data"))) {
      m.apply(List.of(), List.of(HttpProbe.get("https://127.0.0.1:" + port + "/").named("web").trusting(caFile)
          .warnCertDaysBelow(14).criticalCertDaysBelow(3).every(Duration.ofMillis(300))));

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(certAlert(m)).hasValueSatisfying(a -> {
        assertThat(a.status()).isEqualTo(Status.FIRING);
        assertThat(a.severity()).isEqualTo("warning");
        assertThat(a.summary()).contains("certificate of 127.0.0.1 expires");
        assertThat(a.metric()).isBetween(4.9, 5.0);
      }));
      assertThat(mainState(m)).isEqualTo("ok"); // the site answers; only its certificate is the matter

      serve(ca, Duration.ofDays(2), port);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(certAlert(m)).hasValueSatisfying(a -> {
        assertThat(a.status()).isEqualTo(Status.FIRING);
        assertThat(a.severity()).isEqualTo("critical");
      }));

      serve(ca, Duration.ofDays(90), port);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(certAlert(m))
          .hasValueSatisfying(a -> assertThat(a.status()).isEqualTo(Status.RESOLVED)));
      assertThat(m.engine().call(c -> c.query("service = \"" + CERT_SERVICE + "\" and state = \"ok\"")).get())
          .singleElement().satisfies(e -> assertThat(e.metricValue()).isBetween(89.9, 90.0));
    }
  }

  @Test
  void aCertificateFromAnotherCaIsAFailedProbeNotADaysCount() throws Exception {
    Issued ours = CertificateAuthority.create("Test Team CA", Duration.ofDays(3650), Clock.systemUTC());
    Issued theirs = CertificateAuthority.create("Another CA", Duration.ofDays(3650), Clock.systemUTC());
    Path caFile = Files.writeString(dir.resolve("ca.crt"), ours.certificatePem());
    int port = freePort();
    serve(theirs, Duration.ofDays(90), port);
    HttpProbe p = HttpProbe.get("https://127.0.0.1:" + port + "/").named("web").trusting(caFile);

    var events = ProbeRunner.check(p, ProbeRunner.client(p), Clock.systemUTC());

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.state()).isEqualTo("critical");
      assertThat(e.description()).startsWith("request failed:");
    });
  }

  private static Optional<Alert> certAlert(MonitorService m) throws Exception {
    return m.engine().call(c -> c.book().alert("probe-failed", "127.0.0.1", CERT_SERVICE)).get();
  }

  private static String mainState(MonitorService m) throws Exception {
    return m.engine().call(c -> c.query("service = \"probe web\"")).get().get(0).state();
  }

  /** (Re)starts {@code openssl s_server} on {@code port} with a new certificate from {@code ca}. */
  private void serve(Issued ca, Duration validity, int port) throws Exception {
    stop();
    Issued cert = CertificateAuthority.issue(ca, new Subject("web", List.of("localhost"), List.of("127.0.0.1"),
        Use.SERVER), validity, Clock.systemUTC());
    Path crt = Files.writeString(dir.resolve("web-" + validity.toDays() + ".crt"), cert.certificatePem());
    Path key = Files.writeString(dir.resolve("web-" + validity.toDays() + ".key"), cert.keyPem());
    server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", crt.toString(),
        "-key", key.toString(), "-www", "-quiet").redirectErrorStream(true)
        .redirectOutput(dir.resolve("s_server.log").toFile()).start();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      if (!server.isAlive()) {
        throw new AssertionError("openssl s_server stopped: " + Files.readString(dir.resolve("s_server.log")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException notYet) {
        return false;
      }
    });
  }

  private void stop() throws InterruptedException {
    if (server != null) {
      server.destroy();
      server.waitFor();
      server = null;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}

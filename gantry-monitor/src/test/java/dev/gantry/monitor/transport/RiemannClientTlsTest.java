package dev.gantry.monitor.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.Pki;
import dev.gantry.monitor.Proc;
import dev.gantry.monitor.index.IndexKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's riemann-client over TLS with client certificates (the Java client: {@link TlsTest}). */
@Tag("integration")
class RiemannClientTlsTest {
  @TempDir
  static Path dir;
  static Pki pki;
  static MonitorService monitor;

  @BeforeAll
  static void start() throws Exception {
    pki = Pki.create(Files.createDirectories(dir.resolve("pki")), 30);
    monitor = MonitorService.start(MonitorSettings.defaults().withTcpPort(-1).withUdpPort(-1)
        .withTls(0, new TlsConfig(pki.file("server.crt"), pki.file("server.key"), pki.file("ca.crt"))), dir.resolve("data"));
  }

  @AfterAll
  static void stop() {
    if (monitor != null) {
      monitor.close();
    }
  }

  @Test
  void riemannClientSendsAndQueriesOverTlsWithItsCertificate() throws Exception {
    String port = Integer.toString(monitor.tlsPort());
    Proc.run(List.of("riemann-client", "send", "--tls", "-o", "cafile=" + pki.file("ca.crt"),
        "-o", "certfile=" + pki.file("client.crt"), "-o", "keyfile=" + pki.file("client.key"),
        "-h", "secure1", "-S", "tls test", "-i", "5", "127.0.0.1", port)).ok();
    assertThat(monitor.engine().call(c -> c.index().get(new IndexKey("secure1", "tls test"))).get()).isNotNull();
    Proc q = Proc.run(List.of("riemann-client", "query", "host = \"secure1\"", "--tls", "-o", "cafile=" + pki.file("ca.crt"),
        "-o", "certfile=" + pki.file("client.crt"), "-o", "keyfile=" + pki.file("client.key"), "-j", "127.0.0.1", port)).ok();
    assertThat(q.stdout()).contains("tls test");
  }

  @Test
  void riemannClientWithoutCertificateIsRefused() throws Exception {
    Proc p = Proc.run(List.of("riemann-client", "send", "--tls", "-o", "cafile=" + pki.file("ca.crt"),
        "-h", "anon", "-S", "x", "127.0.0.1", Integer.toString(monitor.tlsPort())));
    assertThat(p.exitCode()).isNotZero();
    assertThat(monitor.engine().call(c -> c.query("host = \"anon\"")).get()).isEmpty();
  }
}

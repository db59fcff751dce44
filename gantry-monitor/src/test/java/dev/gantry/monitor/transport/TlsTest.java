package dev.gantry.monitor.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.Pki;
import dev.gantry.monitor.Proc;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.TcpClient;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS on the TCP listener with client certificates, checked with the Java client (riemann-client: {@link RiemannClientTlsTest}). */
class TlsTest {
  @TempDir
  static Path dir;
  static Pki pki;
  static MonitorService monitor;

  @BeforeAll
  static void start() throws Exception {
    pki = Pki.create(java.nio.file.Files.createDirectories(dir.resolve("pki")), 30);
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
  void aClientWithoutCertificateIsRefused() throws Exception {
    try (TcpClient c = TcpClient.connect("127.0.0.1", monitor.tlsPort(), context(false).getSocketFactory(), Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> c.send(List.of(Event.builder().host("anon").service("x").build()))).isInstanceOf(IOException.class);
    }
    assertThat(monitor.engine().call(c -> c.query("host = \"anon\"")).get()).isEmpty();
  }

  @Test
  void theJavaClientWorksOverTls() throws Exception {
    try (TcpClient c = TcpClient.connect("127.0.0.1", monitor.tlsPort(), context(true).getSocketFactory(), Duration.ofSeconds(5))) {
      c.send(List.of(Event.builder().host("java-tls").service("x").metric(1L).build()));
      assertThat(c.query("host = \"java-tls\"")).hasSize(1);
    }
  }

  @Test
  void unreadableCertificatesAreAUserError() {
    assertThatThrownBy(() -> MonitorService.start(MonitorSettings.defaults().withTcpPort(-1).withUdpPort(-1)
        .withTls(0, new TlsConfig(dir.resolve("missing.crt"), pki.file("server.key"), null)), dir.resolve("data2")))
        .isInstanceOf(UserError.class).hasMessageContaining("cannot read").hasMessageContaining("missing.crt");
  }

  /** An SSL context trusting the test CA, with the client certificate if {@code withCert}. */
  static SSLContext context(boolean withCert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (FileInputStream in = new FileInputStream(pki.file("ca.crt").toFile())) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    KeyManagerFactory kmf = null;
    if (withCert) {
      Proc.run(List.of("openssl", "pkcs12", "-export", "-in", "client.crt", "-inkey", "client.key", "-out", "client.p12",
          "-passout", "pass:test-only"), pki.dir(), java.util.Map.of(), 60).ok();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (FileInputStream in = new FileInputStream(pki.file("client.p12").toFile())) {
        ks.load(in, "test-only".toCharArray());
      }
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, "test-only".toCharArray());
    }
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }
}

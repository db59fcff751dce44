package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.tls.PemFiles;
import dev.gantry.host.ca.CertificateAuthority;
import dev.gantry.host.ca.CertificateAuthority.Issued;
import dev.gantry.host.ca.CertificateAuthority.Subject;
import dev.gantry.host.ca.CertificateAuthority.Use;
import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.transport.TlsConfig;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ServerSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One CA for every listener: certificates from Gantry's {@link CertificateAuthority} serve the
 * web server's HTTPS to a client trusting the CA, and the monitor's TLS port to Debian's
 * riemann-client presenting a client certificate from the same CA.
 */
@Tag("integration")
class OneCaTest {
  @TempDir Path dir;

  @Test
  void theServerAndTheMonitorServeTlsWithCertificatesOfTheOneCa() throws Exception {
    InstantSource clock = InstantSource.system();
    Issued ca = CertificateAuthority.create("Test CA", Duration.ofDays(30), clock);
    Issued server = CertificateAuthority.issue(ca, new Subject("ci", List.of("localhost"), List.of("127.0.0.1"),
        Use.SERVER), Duration.ofDays(7), clock);
    Issued client = CertificateAuthority.issue(ca, new Subject("collector", List.of(), List.of(), Use.CLIENT),
        Duration.ofDays(7), clock);
    Path caCrt = write("ca.crt", ca.certificatePem());
    Path serverCrt = write("server.crt", server.certificatePem() + ca.certificatePem());
    Path serverKey = write("server.key", server.keyPem());
    Path clientCrt = write("client.crt", client.certificatePem());
    Path clientKey = write("client.key", client.keyPem());

    try (GantryServer web = GantryServer.start(ServerSettings.defaults(dir.resolve("data")).withPort(0)
        .withTls(new ServerSettings.Tls(serverCrt, serverKey)), List.of())) {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(PemFiles.trustStore(caCrt));
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      HttpResponse<String> health = HttpClient.newBuilder().sslContext(ssl).build()
          .send(HttpRequest.newBuilder(URI.create(web.url() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
    }

    MonitorService monitor = MonitorService.start(MonitorSettings.defaults().withTcpPort(-1).withUdpPort(-1)
        .withTls(0, new TlsConfig(serverCrt, serverKey, caCrt)), dir.resolve("monitor"));
    try {
      String port = Integer.toString(monitor.tlsPort());
      List<String> tls = List.of("--tls", "-o", "cafile=" + caCrt, "-o", "certfile=" + clientCrt,
          "-o", "keyfile=" + clientKey);
      ProcessResult sent = riemannClient(List.of("send"), tls, List.of("-h", "web1", "-S", "one ca", "-i", "5",
          "127.0.0.1", port));
      assertThat(sent.ok()).as(sent.tail()).isTrue();
      // the event is indexed a moment after the client's send returns
      ProcessResult query = null;
      for (int i = 0; i < 50 && (query == null || !query.stdout().contains("one ca")); i++) {
        Thread.sleep(i == 0 ? 0 : 100);
        query = riemannClient(List.of("query", "host = \"web1\""), tls, List.of("-j", "127.0.0.1", port));
      }
      assertThat(query.stdout()).as(query.tail()).contains("one ca");
      ProcessResult anonymous = riemannClient(List.of("send"), List.of("--tls", "-o", "cafile=" + caCrt),
          List.of("-h", "anon", "-S", "x", "127.0.0.1", port));
      assertThat(anonymous.ok()).isFalse();
    } finally {
      monitor.close();
    }
  }

  private static ProcessResult riemannClient(List<String> command, List<String> tls, List<String> rest) {
    List<String> argv = new ArrayList<>(List.of("riemann-client"));
    argv.addAll(command);
    argv.addAll(tls);
    argv.addAll(rest);
    return Command.of(argv).timeout(Duration.ofSeconds(30)).attempt();
  }

  private Path write(String name, String pem) throws Exception {
    return Files.writeString(dir.resolve(name), pem);
  }
}

package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.process.Command;
import dev.gantry.core.tls.PemFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server over HTTPS with certificates made by the real {@code openssl}: a CA, a server
 * certificate for 127.0.0.1 it signed, and a second CA clients do not trust. Plain HTTP on an
 * address other machines reach is refused unless asked for, and then every page warns.
 */
class HttpsTest {
  @TempDir static Path certs;
  @TempDir Path data;

  @BeforeAll
  static void makeCertificates() {
    openssl(certs, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=Test CA", "-days", "2");
    openssl(certs, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
    openssl(certs, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.crt", "-days", "2", "-extfile", write("san.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\n").toString());
    openssl(certs, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "other.key", "-out", "other.crt", "-subj", "/CN=Other CA", "-days", "2");
  }

  @Test
  void servesHttpsWithHttp2AndHstsToClientsTrustingItsCa() throws Exception {
    try (GantryServer server = start(tlsSettings())) {
      assertThat(server.url()).startsWith("https://127.0.0.1:");
      HttpResponse<String> r = client("ca.crt").send(HttpRequest.newBuilder(URI.create(server.url() + "/healthz"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"status\":\"ok\"");
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=" + HttpsConnector.HSTS_SECONDS);
    }
  }

  @Test
  void aClientTrustingAnotherCaIsRefusedAndPlainHttpGetsNoPage() throws Exception {
    try (GantryServer server = start(tlsSettings())) {
      HttpRequest health = HttpRequest.newBuilder(URI.create(server.url() + "/healthz")).build();
      assertThatThrownBy(() -> client("other.crt").send(health, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(SSLHandshakeException.class);
      HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
          .timeout(Duration.ofSeconds(10)).build();
      try {
        HttpResponse<String> r = HttpClient.newHttpClient().send(plain, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400); // Jetty's answer to plain text on a TLS port
        assertThat(r.body()).doesNotContain("\"status\":\"ok\"");
      } catch (IOException refused) {
        assertThat(refused).isNotInstanceOf(ConnectException.class);
      }
    }
  }

  @Test
  void plainHttpOnAnAddressOthersReachIsRefusedWithWhatToDo() {
    ServerSettings exposed = ServerSettings.defaults(data).withPort(0).withHost("0.0.0.0");
    assertThatThrownBy(() -> start(exposed))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("server.host 0.0.0.0 can be reached from other machines")
        .hasMessageContaining("--tls-cert FILE --tls-key FILE")
        .hasMessageContaining("--insecure-http");
  }

  @Test
  void insecureHttpWhenAskedForWarnsOnEveryPage() throws Exception {
    try (GantryServer server = start(ServerSettings.defaults(data).withPort(0).withHost("0.0.0.0").withInsecureHttp(true))) {
      String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(page).contains("id=\"insecure-http\"").contains("plain HTTP (--insecure-http)");
    }
    try (GantryServer loopback = start(ServerSettings.defaults(data).withPort(0))) {
      String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(loopback.url() + "/")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(page).doesNotContain("insecure-http");
    }
  }

  @Test
  void badCertificateFilesAreClearErrorsNamingTheFile() throws Exception {
    Path missing = certs.resolve("missing.crt");
    assertThatThrownBy(() -> start(settings(missing, certs.resolve("server.key"))))
        .isInstanceOf(UserError.class).hasMessage("the certificate file " + missing + " does not exist");
    Path garbage = write("garbage.crt", "not a certificate\n");
    assertThatThrownBy(() -> start(settings(garbage, certs.resolve("server.key"))))
        .isInstanceOf(UserError.class).hasMessageContaining(garbage + " holds no PEM certificate");
    assertThatThrownBy(() -> start(settings(certs.resolve("server.crt"), certs.resolve("other.key"))))
        .isInstanceOf(UserError.class)
        .hasMessage("the private key " + certs.resolve("other.key") + " does not belong to the certificate "
            + certs.resolve("server.crt"));
    Path keyAsCert = certs.resolve("server.key");
    assertThatThrownBy(() -> start(settings(certs.resolve("server.crt"), certs.resolve("server.crt"))))
        .isInstanceOf(UserError.class).hasMessageContaining("holds no PEM private key");
    assertThatThrownBy(() -> start(settings(keyAsCert, keyAsCert)))
        .isInstanceOf(UserError.class).hasMessageContaining("holds no PEM certificate");
    openssl(certs, "ec", "-in", "server.key", "-out", "traditional.key");
    assertThatThrownBy(() -> start(settings(certs.resolve("server.crt"), certs.resolve("traditional.key"))))
        .isInstanceOf(UserError.class).hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  private ServerSettings tlsSettings() {
    return settings(certs.resolve("server.crt"), certs.resolve("server.key"));
  }

  private ServerSettings settings(Path cert, Path key) {
    return ServerSettings.defaults(data).withPort(0).withTls(new ServerSettings.Tls(cert, key));
  }

  private static GantryServer start(ServerSettings settings) {
    return GantryServer.start(settings, List.of());
  }

  private static HttpClient client(String trustedCa) throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(PemFiles.trustStore(certs.resolve(trustedCa)));
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
  }

  private static void openssl(Path dir, String... args) {
    List<String> argv = new ArrayList<>(List.of("openssl"));
    argv.addAll(List.of(args));
    Command.of(argv).dir(dir).timeout(Duration.ofSeconds(30)).run().requireOk("openssl " + args[0]);
  }

  private static Path write(String name, String content) {
    try {
      return Files.writeString(certs.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.config.Config;
import dev.gantry.core.process.Command;
import dev.gantry.core.tls.PemFiles;
import dev.gantry.core.tls.ServerTrust;
import dev.gantry.core.web.Web;
import dev.gantry.core.web.WebComponent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client certificates as a second factor on the paths that ask for them (the agents'), with
 * certificates from the real {@code openssl}: the team's CA issues the server's and a client's;
 * another CA issues a second client's.
 */
class ClientCertificateCheckTest {
  @TempDir static Path certs;
  @TempDir Path data;

  /** A page for everyone and an agent-like path that requires a client certificate. */
  static final WebComponent AGENTISH = new WebComponent() {
    @Override
    public void register(Web web) {
      web.requireClientCertificate("/api/sample/agent");
      web.selfAuthenticated("/api/sample/agent");
      web.app().post("/api/sample/agent/poll", ctx -> ctx.result("work"));
      web.app().get("/sample", ctx -> ctx.result("page"));
    }
  };

  @BeforeAll
  static void makeCertificates() {
    write("server.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    write("client.ext", "extendedKeyUsage=clientAuth\n");
    ca("ca");
    ca("other");
    issue("server", "ca", "server.ext");
    issue("agent", "ca", "client.ext");
    issue("stranger", "other", "client.ext");
  }

  @Test
  void aClientWithACertificateFromTheCaReachesTheAgentPaths() throws Exception {
    try (GantryServer server = start(requiring("ca.crt"))) {
      HttpResponse<String> r = post(client("agent"), server, "/api/sample/agent/poll");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("work");
    }
  }

  @Test
  void aClientWithoutACertificateIsToldToGiveOneButStillSeesThePages() throws Exception {
    try (GantryServer server = start(requiring("ca.crt"))) {
      HttpResponse<String> r = post(client(null), server, "/api/sample/agent/poll");
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).contains("the server requires a client certificate: give --cert/--key issued by the team CA");
      HttpResponse<String> page = client(null).send(HttpRequest.newBuilder(URI.create(server.url() + "/sample")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).isEqualTo("page");
    }
  }

  @Test
  void aCertificateFromAnotherCaOrNotForClientsIsRefusedSayingWhich() throws Exception {
    try (GantryServer server = start(requiring("ca.crt"))) {
      // the handshake names the CA, so the JDK's client withholds a certificate another CA issued
      HttpResponse<String> stranger = post(client("stranger"), server, "/api/sample/agent/poll");
      assertThat(stranger.statusCode()).isEqualTo(403);
      assertThat(stranger.body()).contains(ClientCertificateCheck.MISSING);
      HttpResponse<String> serverAsClient = post(client("server"), server, "/api/sample/agent/poll");
      assertThat(serverAsClient.statusCode()).isEqualTo(403);
      assertThat(serverAsClient.body()).contains("the client certificate CN=server (issued by CN=ca) is not one the CA in "
          + certs.resolve("ca.crt") + " issued for clients", "gantry ca issue NAME --client");
    }
  }

  @Test
  void withoutAClientCaNoCertificateIsAskedFor() throws Exception {
    try (GantryServer server = start(ServerSettings.defaults(data).withPort(0)
        .withTls(new ServerSettings.Tls(certs.resolve("server.crt"), certs.resolve("server.key"))))) {
      assertThat(post(client(null), server, "/api/sample/agent/poll").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aMissingCaFileOrNoHttpsAreClearErrors() {
    Path missing = certs.resolve("missing-ca.crt");
    assertThatThrownBy(() -> start(requiring("missing-ca.crt")))
        .isInstanceOf(UserError.class).hasMessage("the certificate file " + missing + " does not exist");
    Config noHttps = Config.builder(ServerConfig.settings()).flag("server.agent-client-ca", "ca/ca.crt").build();
    assertThatThrownBy(() -> ServerConfig.settingsFrom(noHttps))
        .isInstanceOf(UserError.class)
        .hasMessage("server.agent-client-ca is set but the server has no HTTPS: client certificates are part of TLS; "
            + "set server.tls-cert and server.tls-key too");
    Config full = Config.builder(ServerConfig.settings()).flag("server.tls-cert", "s.crt").flag("server.tls-key", "s.key")
        .flag("server.agent-client-ca", "ca/ca.crt").build();
    assertThat(ServerConfig.settingsFrom(full).tls().orElseThrow().clientCa()).contains(Path.of("ca/ca.crt"));
  }

  private ServerSettings requiring(String ca) {
    return ServerSettings.defaults(data).withPort(0).withTls(new ServerSettings.Tls(certs.resolve("server.crt"),
        certs.resolve("server.key")).requiringClientCertificatesFrom(certs.resolve(ca)));
  }

  private static GantryServer start(ServerSettings settings) {
    return GantryServer.start(settings, List.of(AGENTISH));
  }

  private static HttpResponse<String> post(HttpClient client, GantryServer server, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(server.url() + path)).POST(HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A client trusting the team's CA, presenting {@code name}'s certificate (none for null). */
  private static HttpClient client(String name) {
    var identity = name == null ? null : PemFiles.keyManagers(certs.resolve(name + ".crt"), certs.resolve(name + ".key"));
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .sslContext(new ServerTrust.Ca(certs.resolve("ca.crt")).sslContext(identity)).build();
  }

  private static void ca(String name) {
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", name + ".key", "-out", name + ".crt", "-subj", "/CN=" + name, "-days", "2");
  }

  private static void issue(String name, String ca, String ext) {
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
    openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-CAcreateserial",
        "-out", name + ".crt", "-days", "2", "-extfile", ext);
  }

  private static void openssl(String... args) {
    List<String> argv = new ArrayList<>(List.of("openssl"));
    argv.addAll(List.of(args));
    Command.of(argv).dir(certs).timeout(Duration.ofSeconds(30)).run().requireOk("openssl " + args[0]);
  }

  private static void write(String name, String content) {
    try {
      Files.writeString(certs.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.gantry.ci.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.process.Command;
import dev.gantry.core.tls.ServerTrust;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent's client certificate: both files or neither, readable, a pair, over https only. */
class ClientCertificateTest {
  @TempDir static Path dir;

  @BeforeAll
  static void certificate() {
    Command.of(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "agent.key", "-out", "agent.crt", "-subj", "/CN=builder-1", "-days", "2"))
        .dir(dir).timeout(Duration.ofSeconds(30)).run().requireOk("openssl req");
  }

  @Test
  void neitherFileIsNoCertificateAndBothAreOne() {
    assertThat(ClientCertificate.of(null, null)).isEmpty();
    assertThat(ClientCertificate.of(dir.resolve("agent.crt"), dir.resolve("agent.key")))
        .hasValueSatisfying(c -> assertThat(c.describe()).isEqualTo("CN=builder-1 (issued by CN=builder-1)"));
  }

  @Test
  void oneFileWithoutTheOtherOrAMissingOrWrongFileIsAClearError() throws Exception {
    assertThatThrownBy(() -> ClientCertificate.of(dir.resolve("agent.crt"), null))
        .isInstanceOf(UserError.class).hasMessageStartingWith("--cert and --key go together");
    assertThatThrownBy(() -> ClientCertificate.of(null, dir.resolve("agent.key")))
        .isInstanceOf(UserError.class).hasMessageStartingWith("--cert and --key go together");
    assertThatThrownBy(() -> ClientCertificate.of(dir.resolve("nope.crt"), dir.resolve("agent.key")))
        .isInstanceOf(UserError.class).hasMessage("the certificate file " + dir.resolve("nope.crt") + " does not exist");
    Path notPem = Files.writeString(dir.resolve("junk.crt"), "hello\n");
    assertThatThrownBy(() -> ClientCertificate.of(notPem, dir.resolve("agent.key")))
        .isInstanceOf(UserError.class).hasMessageContaining(notPem + " holds no PEM certificate");
  }

  @Test
  void aCertificateNeedsAnHttpsServer() {
    Optional<ClientCertificate> cert = ClientCertificate.of(dir.resolve("agent.crt"), dir.resolve("agent.key"));
    assertThatThrownBy(() -> new AgentSettings(URI.create("http://ci:8080"), "t", "a", List.of(), 1, Path.of("/tmp/w"),
        Duration.ofSeconds(1), new ServerTrust.SystemCas(), cert))
        .isInstanceOf(UserError.class)
        .hasMessage("--cert and --key are presented over TLS: give the server's https:// URL (got http://ci:8080)");
  }
}

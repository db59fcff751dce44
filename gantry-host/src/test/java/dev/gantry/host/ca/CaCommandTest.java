package dev.gantry.host.ca;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.tls.PemFiles;
import dev.gantry.host.cli.CaCommand;
import dev.gantry.host.cli.VaultCommand;
import dev.gantry.host.testing.Cli;
import dev.gantry.host.testing.Gpg;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry ca} against real gpg (the CA key is a vault entry) and the real
 * {@code openssl verify}: what it issues is a chain that openssl accepts for its purpose and
 * name, with a key that belongs to it.
 */
@Tag("integration")
class CaCommandTest {
  static Gpg alice;

  @TempDir Path repo;
  @TempDir Path out;

  @BeforeAll
  static void key() {
    alice = Gpg.withKey("Alice", "alice@example.org");
  }

  @AfterAll
  static void cleanup() {
    if (alice != null) {
      alice.close();
    }
  }

  @Test
  void initThenIssueAServerCertificateThatOpensslVerifiesForItsNameAndAddress() throws Exception {
    addKey();
    Cli.Run init = ca("init", "--name", "Example Co CA");
    assertThat(init.code()).as(init.err()).isZero();
    assertThat(init.out()).contains("made the CA 'Example Co CA'", "ca/ca.crt", "SHA-256 fingerprint: ");
    assertThat(Files.readString(repo.resolve("ca/ca.crt"))).contains("BEGIN CERTIFICATE").doesNotContain("PRIVATE");
    Path keyEntry = repo.resolve("vault/any/gantry-ca-key.gpg");
    assertThat(new String(Files.readAllBytes(keyEntry), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("PRIVATE KEY");
    assertThat(alice.decrypt(keyEntry).stdout()).contains("-----BEGIN PRIVATE KEY-----");

    Cli.Run issue = ca("issue", "ci", "--dns", "ci.example.org", "--ip", "127.0.0.1", "--out", out.toString(),
        "--secret-key", alice.secretKeyFile().toString());
    assertThat(issue.code()).as(issue.err()).isZero();
    assertThat(issue.out()).contains("issued a server certificate for ci", "ci.example.org, 127.0.0.1");
    Path crt = out.resolve("ci.crt");
    Path key = out.resolve("ci.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    assertThat(PemFiles.keyStore(crt, key).size()).isEqualTo(1);

    List<X509Certificate> chain = PemFiles.certificates(crt);
    assertThat(chain).hasSize(2);
    assertThat(chain.get(0).getNotAfter().toInstant()).isBefore(Instant.now().plus(Duration.ofDays(398)));
    Files.writeString(out.resolve("leaf.crt"), CertificateAuthority.pem(chain.get(0)));
    assertThat(openssl("verify", "-CAfile", repo.resolve("ca/ca.crt").toString(), "-purpose", "sslserver",
        "-verify_hostname", "ci.example.org", out.resolve("leaf.crt").toString()).stdout()).contains(": OK");
    assertThat(openssl("verify", "-CAfile", repo.resolve("ca/ca.crt").toString(), "-verify_ip", "127.0.0.1",
        out.resolve("leaf.crt").toString()).ok()).isTrue();
    assertThat(openssl("verify", "-CAfile", repo.resolve("ca/ca.crt").toString(), "-verify_hostname",
        "other.example.org", out.resolve("leaf.crt").toString()).ok()).isFalse();

    Cli.Run client = ca("issue", "agent1", "--client", "--out", out.toString(),
        "--secret-key", alice.secretKeyFile().toString());
    assertThat(client.code()).as(client.err()).isZero();
    Files.writeString(out.resolve("agent1-leaf.crt"), CertificateAuthority.pem(PemFiles.certificates(out.resolve("agent1.crt")).get(0)));
    assertThat(openssl("verify", "-CAfile", repo.resolve("ca/ca.crt").toString(), "-purpose", "sslclient",
        out.resolve("agent1-leaf.crt").toString()).ok()).isTrue();
    assertThat(openssl("verify", "-CAfile", repo.resolve("ca/ca.crt").toString(), "-purpose", "sslserver",
        out.resolve("agent1-leaf.crt").toString()).ok()).isFalse();
  }

  @Test
  void aHostOfTheDefinitionGetsItsNameAndAddress() throws Exception {
    addKey();
    Files.createDirectories(repo.resolve("infra"));
    Files.writeString(repo.resolve("infra/Infra.java"), """
        import dev.gantry.core.infra.*;
        public class Infra implements InfrastructureDefinition {
          public void define(Infrastructure i) {
            i.host("monitor").address("10.0.0.7");
          }
        }
        """);
    assertThat(ca("init").code()).isZero();
    Cli.Run issue = ca("issue", "monitor", "--out", out.toString(), "--secret-key", alice.secretKeyFile().toString());
    assertThat(issue.code()).as(issue.err()).isZero();
    assertThat(issue.out()).contains("names:       monitor, 10.0.0.7");
  }

  @Test
  void badInputIsRefusedClearlyAndChangesNothing() throws Exception {
    Cli.Run noKeyring = ca("init");
    assertThat(noKeyring.code()).isEqualTo(1);
    assertThat(noKeyring.err()).contains("has no keyring", "gantry vault add-key");
    assertThat(Files.exists(repo.resolve("ca"))).isFalse();

    Cli.Run noCa = ca("issue", "ci", "--dns", "ci");
    assertThat(noCa.err()).contains("has no CA (ca/ca.crt); make one first: gantry ca init");

    addKey();
    assertThat(ca("init").code()).isZero();
    String first = Files.readString(repo.resolve("ca/ca.crt"));
    Cli.Run again = ca("init");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("already has a CA", "--force");
    assertThat(Files.readString(repo.resolve("ca/ca.crt"))).isEqualTo(first);

    assertThat(issue("web").err()).contains("a server certificate for web needs the names or addresses");
    assertThat(issue("web", "--ip", "300.1").err()).contains("'300.1' is not an IP address");
    assertThat(issue("web", "--dns", "bad name").err()).contains("'bad name' is not a DNS name");
    assertThat(issue("web", "--dns", "web", "--valid", "0d").err()).contains("more than 0 days");
    assertThat(Files.exists(out.resolve("web.crt"))).isFalse();
  }

  @Test
  void anExpiredCaIssuesNothingAndCertificatesEndWithTheirCa() {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    CertificateAuthority.Issued ca = CertificateAuthority.create("Short CA", Duration.ofDays(30), InstantSource.fixed(start));
    CertificateAuthority.Issued web = CertificateAuthority.issue(ca, new CertificateAuthority.Subject("web",
        List.of("web"), List.of(), CertificateAuthority.Use.SERVER), Duration.ofDays(397),
        InstantSource.fixed(start.plus(Duration.ofDays(1))));
    assertThat(web.notAfter()).isEqualTo(ca.notAfter());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CertificateAuthority.issue(ca,
            new CertificateAuthority.Subject("web", List.of("web"), List.of(), CertificateAuthority.Use.SERVER),
            Duration.ofDays(1), InstantSource.fixed(start.plus(Duration.ofDays(31)))))
        .hasMessageContaining("the CA expired on");
  }

  private void addKey() {
    Cli.Run add = Cli.run(new VaultCommand(new ByteArrayInputStream(alice.publicKey().getBytes(UTF_8))),
        "add-key", "-", "--infra", repo.toString());
    assertThat(add.code()).as(add.err()).isZero();
  }

  private Cli.Run issue(String... args) {
    return ca(with(with(new String[] {"issue"}, args), "--secret-key", alice.secretKeyFile().toString(),
        "--out", out.toString()));
  }

  private Cli.Run ca(String... args) {
    return Cli.run(new CaCommand(), with(args, "--infra", repo.toString()));
  }

  private static String[] with(String[] first, String... more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static ProcessResult openssl(String... args) {
    List<String> argv = new ArrayList<>(List.of("openssl"));
    argv.addAll(List.of(args));
    return Command.of(argv).timeout(Duration.ofSeconds(30)).attempt();
  }
}

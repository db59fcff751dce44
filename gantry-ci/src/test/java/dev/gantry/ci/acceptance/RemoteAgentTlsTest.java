package dev.gantry.ci.acceptance;

import static dev.gantry.ci.testing.CiFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.cli.AgentCommand;
import dev.gantry.ci.queue.PatchState;
import dev.gantry.ci.testing.CiFixture;
import dev.gantry.ci.testing.JvmProcess;
import dev.gantry.ci.testing.OpensslPki;
import dev.gantry.ci.testing.TestWeb;
import dev.gantry.server.ServerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents of a server reached over HTTPS: with the team's CA (--ca) or a pinned fingerprint
 * (--pin) they take work; shown a certificate their trust does not cover (a wrong pin,
 * another CA, an expired certificate) they stop at once and say why, instead of retrying.
 * Certificates from the real openssl.
 */
@Tag("integration")
class RemoteAgentTlsTest {
  @TempDir Path tmp;
  Path pki;
  CiFixture fx;
  final List<JvmProcess> agents = new ArrayList<>();

  @BeforeEach
  void certificates() throws Exception {
    pki = OpensslPki.create(tmp.resolve("pki"));
  }

  @AfterEach
  void tearDown() throws Exception {
    agents.forEach(JvmProcess::close);
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void agentsTrustingTheCaOrThePinRunStepsAndOthersStopWithTheReason() throws Exception {
    fx = CiFixture.create(tmp).servingTls(pki.resolve("server.crt"), pki.resolve("server.key")).startServer(0);
    assertThat(fx.url()).startsWith("https://");
    String leafPin = openssl("x509", "-in", "server.crt", "-noout", "-fingerprint", "-sha256").replaceAll(".*=", "").strip();

    JvmProcess byCa = fx.agent("by-ca", "--ca", pki.resolve("ca.crt").toString());
    JvmProcess byPin = fx.agent("by-pin", "--pin", leafPin);
    await("both agents online", Duration.ofSeconds(60),
        () -> fx.ci().agents().stream().filter(a -> a.online()).count() == 2);
    String commit = fx.push("review/tls", "src/a.txt", "over tls\n");
    fx.ci().submit("review/tls", commit); // the hook's curl does not know the team's CA: queued here instead
    await("merged by an agent over HTTPS", Duration.ofSeconds(120), () -> fx.stateOf(commit) == PatchState.MERGED);
    assertThat(byCa.isAlive()).isTrue();
    assertThat(byPin.isAlive()).isTrue();

    JvmProcess wrongPin = fx.agent("wrong-pin", "--pin", "00".repeat(32));
    assertThat(wrongPin.waitFor(Duration.ofSeconds(60))).isNotZero();
    assertThat(wrongPin.output()).contains("presented a certificate that the pinned fingerprint " + "00".repeat(32)
        + " does not vouch for", "does not match the pinned fingerprint", "check --ca or --pin");

    JvmProcess otherCa = fx.agent("other-ca", "--ca", pki.resolve("other.crt").toString());
    assertThat(otherCa.waitFor(Duration.ofSeconds(60))).isNotZero();
    assertThat(otherCa.output()).contains("presented a certificate that the CA in " + pki.resolve("other.crt")
        + " does not vouch for");

    JvmProcess plain = agentAt("http://127.0.0.1:" + fx.port(), "plain-url", "--ca", pki.resolve("ca.crt").toString());
    assertThat(plain.waitFor(Duration.ofSeconds(60))).isNotZero();
    assertThat(plain.output()).contains("--ca and --pin check a server's certificate: give its https:// URL");

    JvmProcess badPin = fx.agent("bad-pin", "--pin", "abc");
    assertThat(badPin.waitFor(Duration.ofSeconds(60))).isNotZero();
    assertThat(badPin.output()).contains("--pin: 'abc' is not a SHA-256 fingerprint");
  }

  @Test
  void withClientCertificatesRequiredOnlyAnAgentWithOneFromTheTeamCaRunsSteps() throws Exception {
    fx = CiFixture.create(tmp).servingTls(pki.resolve("server.crt"), pki.resolve("server.key"))
        .requiringClientCertificatesFrom(pki.resolve("ca.crt")).startServer(0);
    String ca = pki.resolve("ca.crt").toString();

    JvmProcess withCert = fx.agent("with-cert", "--ca", ca, "--cert", pki.resolve("builder.crt").toString(),
        "--key", pki.resolve("builder.key").toString());
    await("the agent with a certificate online", Duration.ofSeconds(60),
        () -> fx.ci().agents().stream().anyMatch(a -> a.online() && a.name().equals("with-cert")));
    String commit = fx.push("review/mtls", "src/a.txt", "over mutual tls\n");
    fx.ci().submit("review/mtls", commit);
    await("merged by the agent with a certificate", Duration.ofSeconds(120),
        () -> fx.stateOf(commit) == PatchState.MERGED);
    assertThat(withCert.isAlive()).isTrue();

    JvmProcess without = fx.agent("without-cert", "--ca", ca);
    assertThat(without.waitFor(Duration.ofSeconds(60))).isNotZero();
    assertThat(without.output()).contains("refused this agent (403)",
        "the server requires a client certificate: give --cert/--key issued by the team CA");

    JvmProcess stranger = fx.agent("stranger", "--ca", ca, "--cert", pki.resolve("stranger.crt").toString(),
        "--key", pki.resolve("stranger.key").toString());
    assertThat(stranger.waitFor(Duration.ofSeconds(60))).isNotZero();
    assertThat(stranger.output()).contains("the server requires a client certificate",
        "this agent has CN=stranger (issued by CN=Other CA) from " + pki.resolve("stranger.crt"));
    assertThat(fx.ci().agents()).noneMatch(a -> a.name().equals("without-cert") || a.name().equals("stranger"));

    JvmProcess mismatched = fx.agent("mismatched", "--ca", ca, "--cert", pki.resolve("builder.crt").toString(),
        "--key", pki.resolve("stranger.key").toString());
    assertThat(mismatched.waitFor(Duration.ofSeconds(60))).isNotZero();
    assertThat(mismatched.output()).contains("the private key " + pki.resolve("stranger.key")
        + " does not belong to the certificate " + pki.resolve("builder.crt"));
  }

  @Test
  void anExpiredServerCertificateStopsTheAgentWithTheReason() throws Exception {
    fx = CiFixture.create(tmp);
    try (TestWeb expired = TestWeb.start(tmp.resolve("web"), 0, List.of(),
        new ServerSettings.Tls(pki.resolve("expired.crt"), pki.resolve("server.key")))) {
      JvmProcess agent = agentAt(expired.url(), "late", "--ca", pki.resolve("ca.crt").toString());
      assertThat(agent.waitFor(Duration.ofSeconds(60))).isNotZero();
      assertThat(agent.output()).contains("does not vouch for", "the certificate has expired");
    }
  }

  /** An agent of the server at {@code url}, closed with the test. */
  private JvmProcess agentAt(String url, String name, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--server", url, "--token", CiFixture.AGENT_TOKEN, "--name", name,
        "--work", tmp.resolve("agents/" + name).toString()));
    args.addAll(List.of(extra));
    agents.add(JvmProcess.start(AgentCommand.class, tmp.resolve(name + ".out"), args.toArray(String[]::new)));
    return agents.get(agents.size() - 1);
  }

  private String openssl(String... args) {
    return OpensslPki.run(pki, args);
  }
}

package dev.gantry.ci.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.ci.hook.HookInstaller;
import dev.gantry.ci.testing.CiFixture;
import dev.gantry.ci.testing.GitFixture;
import dev.gantry.ci.testing.OpensslPki;
import dev.gantry.core.UserError;
import dev.gantry.core.process.ProcessResult;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The git hook of a repository on another machine reaching the server over HTTPS: with the
 * team's CA installed beside it a real {@code git push} is queued; with another CA the push is
 * kept, told the server's certificate is not trusted, and nothing is queued. Certificates from
 * the real openssl; the hook's real curl.
 */
@Tag("integration")
class HookTlsTest {
  @TempDir Path tmp;
  Path pki;
  CiFixture fx;

  @BeforeEach
  void certificates() throws Exception {
    pki = OpensslPki.create(tmp.resolve("pki"));
    fx = CiFixture.create(tmp).servingTls(pki.resolve("server.crt"), pki.resolve("server.key"))
        .hookTrusting(pki.resolve("ca.crt")).startServer(0);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void aPushReachesTheServerThroughTheTeamCa() throws Exception {
    assertThat(fx.central.resolve("hooks/" + HookInstaller.CA_FILE)).hasSameTextualContentAs(pki.resolve("ca.crt"));
    ProcessResult push = commitAndPush("review/over-tls", "over tls\n");
    assertThat(push.exitCode()).isZero();
    assertThat(push.stderr()).contains("gantry: queued for CI");
    String commit = GitFixture.git(fx.dev, "rev-parse", "HEAD");
    assertThat(fx.patch(commit).commit()).isEqualTo(commit); // queued by the hook's call: the fixture's server does not poll
  }

  @Test
  void withAnotherCaThePushIsToldTheCertificateIsNotTrustedAndNothingIsQueued() throws Exception {
    new HookInstaller().trustingCa(pki.resolve("other.crt")).install(fx.central, URI.create(fx.url()),
        CiFixture.HOOK_SECRET, true);
    ProcessResult push = commitAndPush("review/wrong-ca", "wrong ca\n");
    assertThat(push.exitCode()).isZero(); // the push itself is kept
    assertThat(push.stderr()).contains("gantry: the CI server at " + fx.url() + "/api/ci/hook presented a certificate "
        + "that the team CA in " + fx.central.resolve("hooks/" + HookInstaller.CA_FILE) + " does not vouch for",
        "nothing was sent", "gantry ci install-hook --ca");
    String commit = GitFixture.git(fx.dev, "rev-parse", "HEAD");
    Thread.sleep(1000);
    assertThatThrownBy(() -> fx.patch(commit)).hasMessageContaining("no patch for " + commit);

    new HookInstaller().install(fx.central, URI.create(fx.url()), CiFixture.HOOK_SECRET, true);
    assertThat(fx.central.resolve("hooks/" + HookInstaller.CA_FILE)).doesNotExist();
    ProcessResult bySystemCas = commitAndPush("review/system-cas", "system cas\n");
    assertThat(bySystemCas.stderr()).contains("presented a certificate that the system's CAs does not vouch for");
  }

  @Test
  void aCaForAPlainHttpServerOrAMissingCaFileIsRefusedAtInstall() {
    assertThatThrownBy(() -> new HookInstaller().trustingCa(pki.resolve("ca.crt")).install(fx.central,
        URI.create("http://127.0.0.1:9"), CiFixture.HOOK_SECRET, true))
        .isInstanceOf(UserError.class)
        .hasMessage("--ca: the hook checks the certificate of an https:// server; give its https URL (got http://127.0.0.1:9)");
    assertThatThrownBy(() -> new HookInstaller().trustingCa(pki.resolve("missing.crt")).install(fx.central,
        URI.create(fx.url()), CiFixture.HOOK_SECRET, true))
        .isInstanceOf(UserError.class)
        .hasMessage("the certificate file " + pki.resolve("missing.crt") + " does not exist");
  }

  private ProcessResult commitAndPush(String branch, String content) throws Exception {
    GitFixture.git(fx.dev, "fetch", "-q", "origin");
    GitFixture.git(fx.dev, "checkout", "-q", "-B", branch, "origin/master");
    GitFixture.write(fx.dev, "src/a.txt", content);
    GitFixture.commitAll(fx.dev, "change on " + branch);
    return GitFixture.gitResult(fx.dev, "push", "-f", "origin", "HEAD:refs/heads/" + branch);
  }
}

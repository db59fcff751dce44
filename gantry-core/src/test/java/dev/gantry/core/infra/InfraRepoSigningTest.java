package dev.gantry.core.infra;

import static dev.gantry.core.infra.GitCli.git;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commits of the infrastructure repository signed by git with a key made by real gpg, when the repository asks. */
@Tag("integration")
class InfraRepoSigningTest {
  @TempDir Path tmp;
  private Path gnupgHome;
  private Path repo;

  @BeforeEach
  void keyAndRepository() throws Exception {
    // short and outside @TempDir: gpg-agent's socket path has a length limit
    gnupgHome = Files.createTempDirectory("gnupg-");
    Files.setPosixFilePermissions(gnupgHome, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    gpg("--passphrase", "", "--quick-gen-key", "Alice <alice@example.org>", "default", "default", "never");
    String fingerprint = gpg("--with-colons", "--fingerprint", "alice@example.org").lines()
        .filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
    Path wrapper = tmp.resolve("gpg-alice");
    Files.writeString(wrapper, "#!/bin/sh\nGNUPGHOME='" + gnupgHome + "' exec gpg \"$@\"\n");
    assertThat(wrapper.toFile().setExecutable(true)).isTrue();
    repo = GitCli.init(tmp.resolve("signed"));
    git(repo, "config", "user.signingkey", fingerprint);
    git(repo, "config", "gpg.program", wrapper.toString());
    git(repo, "config", "commit.gpgsign", "true");
  }

  @AfterEach
  void stopTheAgent() {
    Command.of("gpgconf", "--kill", "all").env("GNUPGHOME", gnupgHome.toString()).timeout(Duration.ofSeconds(10)).run();
    Command.of("rm", "-rf", gnupgHome.toString()).run();
  }

  @Test
  void aSpinCommitIsSignedWithTheConfiguredKey() throws Exception {
    Files.writeString(repo.resolve("hosts.yml"), "b\n");
    assertThat(InfraRepo.commitAndPush(repo, "signed spin", false).summary()).endsWith("(signed)");
    assertThat(GitCli.run(repo, "verify-commit", "HEAD").ok()).isTrue();
  }

  @Test
  void theRegistryCommitIsSignedAndStillHoldsTheRegistryAloneByWhoDeployed() throws Exception {
    Files.writeString(repo.resolve("staged.txt"), "staged\n");
    git(repo, "add", "staged.txt");
    HostsRegistry reg = HostsRegistry.empty().with("web1", "production", null, "shop",
        new HostsRegistry.SystemEntry("A", Map.of("app", "A"), "compose", "2026-12-02T00:00:00Z", "ops", 1, null));

    String id = InfraRepo.open(repo).commitRegistry(reg, "deploy shop A", new PersonIdent("Ops", "ops@example.test"));

    assertThat(id).isEqualTo(git(repo, "rev-parse", "HEAD").strip());
    assertThat(GitCli.run(repo, "verify-commit", "HEAD").ok()).isTrue();
    assertThat(git(repo, "show", "-s", "--format=%an <%ae>|%cn <%ce>", "HEAD").strip())
        .isEqualTo("Ops <ops@example.test>|Ops <ops@example.test>");
    assertThat(git(repo, "show", "--name-only", "--format=", "HEAD").strip()).isEqualTo("hosts.yml");
    assertThat(git(repo, "status", "--porcelain").strip()).isEqualTo("A  staged.txt");
  }

  private String gpg(String... args) {
    List<String> argv = new ArrayList<>(List.of("gpg", "--batch", "--no-tty", "--quiet"));
    argv.addAll(List.of(args));
    ProcessResult r = Command.of(argv).env("GNUPGHOME", gnupgHome.toString()).timeout(Duration.ofMinutes(2)).run();
    assertThat(r.ok()).as("gpg %s: %s", String.join(" ", args), r.stderr()).isTrue();
    return r.stdout();
  }
}

package dev.gantry.core.infra;

import static dev.gantry.core.infra.GitCli.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commits in the infrastructure repository, as the git command line sees them afterwards:
 * the registry after a deploy, pending changes before a spin (signing: {@link InfraRepoSigningTest}).
 */
class InfraRepoTest {
  @TempDir Path tmp;
  private final PersonIdent who = new PersonIdent("Ops", "ops@example.test");

  @Test
  void theFirstCommitOfANewRepositoryHoldsTheRegistry() {
    Path dir = GitCli.init(tmp.resolve("infra"));
    String id = InfraRepo.open(dir).commitRegistry(registry("A", 1), "deploy shop A to web1", who);

    assertThat(id).isEqualTo(git(dir, "rev-parse", "HEAD").strip());
    assertThat(git(dir, "show", "-s", "--format=%an <%ae>|%cn <%ce>|%s", "HEAD").strip())
        .isEqualTo("Ops <ops@example.test>|Ops <ops@example.test>|deploy shop A to web1");
    assertThat(git(dir, "show", "HEAD:hosts.yml")).contains("release: A");
    assertThat(git(dir, "status", "--porcelain")).isEmpty();
  }

  @Test
  void onlyTheRegistryIsCommittedWhateverElseIsStagedOrChanged() throws Exception {
    Path dir = GitCli.init(tmp.resolve("infra"));
    Files.writeString(dir.resolve("Infra.java"), "class Infra {}\n");
    git(dir, "add", "Infra.java");
    git(dir, "commit", "-q", "-m", "definition");
    Files.writeString(dir.resolve("Infra.java"), "class Infra { int staged; }\n");
    git(dir, "add", "Infra.java");
    Files.writeString(dir.resolve("notes.txt"), "untracked\n");

    InfraRepo.open(dir).commitRegistry(registry("A", 1), "deploy shop A", who);
    InfraRepo.open(dir).commitRegistry(registry("B", 2), "deploy shop B", who);

    assertThat(git(dir, "show", "--name-only", "--format=", "HEAD").strip()).isEqualTo("hosts.yml");
    assertThat(git(dir, "show", "HEAD:hosts.yml")).contains("release: B");
    assertThat(git(dir, "show", "HEAD:Infra.java")).isEqualTo("class Infra {}\n");
    assertThat(git(dir, "status", "--porcelain").lines().toList()).containsExactlyInAnyOrder("M  Infra.java", "?? notes.txt");
  }

  @Test
  void anUnchangedTrackedRegistryMakesNoCommit() {
    Path dir = GitCli.init(tmp.resolve("infra"));
    InfraRepo repo = InfraRepo.open(dir);
    repo.commitRegistry(registry("A", 1), "deploy shop A", who);
    String head = git(dir, "rev-parse", "HEAD");

    assertThat(repo.commitRegistry(registry("A", 1), "deploy shop A again", who)).isNull();
    assertThat(git(dir, "rev-parse", "HEAD")).isEqualTo(head);
  }

  @Test
  void anUntrackedRegistryIsCommittedEvenWhenItsTextIsAlreadyThere() {
    Path dir = GitCli.init(tmp.resolve("infra"));
    registry("A", 1).write(dir.resolve(HostsRegistry.FILE));

    assertThat(InfraRepo.open(dir).commitRegistry(registry("A", 1), "deploy shop A", who)).isNotNull();
    assertThat(git(dir, "ls-files")).isEqualTo("hosts.yml\n");
  }

  @Test
  void anInfraFolderInsideALargerRepositoryIsFoundAndOnlyItsRegistryCommitted() throws Exception {
    Path top = GitCli.init(tmp.resolve("monorepo"));
    Path infra = Files.createDirectories(top.resolve("ops/infra"));
    Files.writeString(top.resolve("README.md"), "the app\n");
    git(top, "add", "README.md");

    InfraRepo repo = InfraRepo.open(infra);
    assertThat(repo.top()).isEqualTo(top.toAbsolutePath());
    assertThat(repo.registryFile()).isEqualTo(infra.resolve("hosts.yml").toAbsolutePath());
    repo.commitRegistry(registry("A", 1), "deploy shop A", who);

    assertThat(git(top, "show", "--name-only", "--format=", "HEAD").strip()).isEqualTo("ops/infra/hosts.yml");
    assertThat(git(top, "status", "--porcelain").strip()).isEqualTo("A  README.md");
  }

  @Test
  void aLinkedWorktreeIsFoundAndCommittedOnItsOwnBranch() throws Exception {
    Path main = GitCli.init(tmp.resolve("main"));
    Files.writeString(main.resolve("README.md"), "infra\n");
    git(main, "add", "README.md");
    git(main, "commit", "-q", "-m", "first");
    Path worktree = tmp.resolve("worktree");
    git(main, "worktree", "add", "-q", "-b", "ops", worktree.toString());

    String id = InfraRepo.open(worktree).commitRegistry(registry("A", 1), "deploy shop A", who);

    assertThat(git(worktree, "rev-parse", "HEAD").strip()).isEqualTo(id);
    assertThat(git(main, "log", "-1", "--format=%s", "ops").strip()).isEqualTo("deploy shop A");
    assertThat(git(main, "log", "-1", "--format=%s", "main").strip()).isEqualTo("first");
  }

  @Test
  void aFolderInNoRepositoryIsRefusedWithWhatToDo() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    assertThat(InfraRepo.find(outside)).isEmpty();
    assertThatThrownBy(() -> InfraRepo.open(outside)).isInstanceOf(UserError.class)
        .hasMessageContaining(outside.toString()).hasMessageContaining("git init");
  }

  @Test
  void whoIsGitsUserNameAndEmailOfTheRepository() {
    Path dir = GitCli.init(tmp.resolve("infra"));
    PersonIdent p = InfraRepo.open(dir).who();
    assertThat(p.getName() + " <" + p.getEmailAddress() + ">").isEqualTo("Infra Tester <infra@example.org>");
  }

  @Test
  void commitsPendingChangesAndPushesToOrigin() throws Exception {
    Path origin = tmp.resolve("origin.git");
    git(tmp, "init", "-q", "--bare", origin.toString());
    Path r = GitCli.init(tmp.resolve("infra"));
    git(r, "remote", "add", "origin", origin.toString());
    Files.writeString(r.resolve("hosts.yml"), "a\n");
    String what = InfraRepo.commitAndPush(r, "gantry host spin web", false).summary();
    assertThat(what).startsWith("committed ").endsWith("; pushed to origin");
    assertThat(git(origin, "log", "--format=%an %s", "main")).isEqualTo("Infra Tester gantry host spin web\n");
    Files.delete(r.resolve("hosts.yml"));
    InfraRepo.commitAndPush(r, "second", false);
    assertThat(git(r, "ls-files")).isEmpty();
    assertThat(InfraRepo.commitAndPush(r, "third", false).summary()).startsWith("nothing to commit");
  }

  @Test
  void aSpinCommitsWhatGantryOwnsAndTrackedChangesLeavesOtherNewFilesAndNeverAKey() throws Exception {
    Path r = GitCli.init(tmp.resolve("infra"));
    Files.createDirectories(r.resolve("infra"));
    Files.writeString(r.resolve("infra/Infra.java"), "class Infra {}\n");
    git(r, "add", "infra/Infra.java");
    git(r, "commit", "-q", "-m", "definition");
    Files.writeString(r.resolve("infra/Infra.java"), "class Infra { int x; }\n");
    Files.writeString(r.resolve("infra/Extra.java"), "class Extra {}\n");
    Files.writeString(r.resolve("hosts.yml"), "hosts: {}\n");
    Files.createDirectories(r.resolve("vault/web"));
    Files.writeString(r.resolve("vault/web/db.gpg"), "-----BEGIN PGP MESSAGE-----\n");
    Files.writeString(r.resolve("notes.txt"), "mine\n");
    Files.createDirectories(r.resolve("keys"));
    assertThat(dev.gantry.core.process.Command.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
        r.resolve("keys/vh").toString()).run().ok()).isTrue();
    Files.writeString(r.resolve("vault/web/stray.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n");
    Files.writeString(r.resolve("staged.txt"), "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n");
    git(r, "add", "staged.txt");

    InfraRepo.Committed c = InfraRepo.commitAndPush(r, "gantry host spin web", false);
    assertThat(c.summary()).startsWith("committed ");
    assertThat(git(r, "show", "--name-only", "--format=", "HEAD").strip().lines())
        .containsExactly("hosts.yml", "infra/Infra.java", "vault/web/db.gpg");
    assertThat(c.leftUntracked()).containsExactly("infra/Extra.java", "keys/vh.pub", "notes.txt");
    assertThat(c.privateKeys()).containsExactlyInAnyOrder("keys/vh", "staged.txt", "vault/web/stray.pem");
    assertThat(git(r, "log", "--all", "--format=", "--name-only")).doesNotContain("keys/vh", "stray.pem", "staged.txt");

    InfraRepo.Committed asked = InfraRepo.commitAndPush(r, "with the definition", true);
    assertThat(git(r, "show", "--name-only", "--format=", "HEAD").strip()).isEqualTo("infra/Extra.java");
    assertThat(asked.leftUntracked()).containsExactly("keys/vh.pub", "notes.txt");
    assertThat(asked.privateKeys()).contains("keys/vh");
  }

  @Test
  void aGitignoreForKeysAndLocalStateIsWrittenOnceAndKeepsKeysOutOfGitsView() throws Exception {
    Path r = GitCli.init(tmp.resolve("infra"));
    InfraRepo repo = InfraRepo.open(r);
    assertThat(repo.writeGitignoreIfMissing()).isTrue();
    Files.writeString(r.resolve(".gitignore"), Files.readString(r.resolve(".gitignore")) + "mine\n");
    assertThat(repo.writeGitignoreIfMissing()).isFalse();
    assertThat(Files.readString(r.resolve(".gitignore"))).endsWith("mine\n");
    Files.createDirectories(r.resolve("keys"));
    Files.writeString(r.resolve("keys/id_ed25519"), "x");
    Files.createDirectories(r.resolve("gantry-data"));
    Files.writeString(r.resolve("gantry-data/ledger.db"), "x");
    InfraRepo.Committed c = InfraRepo.commitAndPush(r, "spin", false);
    assertThat(git(r, "show", "--name-only", "--format=", "HEAD").strip()).isEqualTo(".gitignore");
    assertThat(c.leftUntracked()).isEmpty();
    assertThat(c.privateKeys()).isEmpty();
  }

  @Test
  void aFileLooksLikeAPrivateKeyByNameOrByContent(@org.junit.jupiter.api.io.TempDir Path d) throws Exception {
    Files.writeString(d.resolve("id_rsa"), "anything");
    Files.writeString(d.resolve("server.key"), "anything");
    Files.writeString(d.resolve("id_rsa.pub"), "ssh-rsa AAAA");
    Files.writeString(d.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n");
    Files.writeString(d.resolve("ec.pem"), "# mine\n-----BEGIN EC PRIVATE KEY-----\n");
    Files.writeString(d.resolve("p8"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
    Files.writeString(d.resolve("gpg.asc"), "-----BEGIN PGP PRIVATE KEY BLOCK-----\n");
    Files.writeString(d.resolve("pub.asc"), "-----BEGIN PGP PUBLIC KEY BLOCK-----\n");
    for (String yes : new String[] {"id_rsa", "server.key", "ec.pem", "p8", "gpg.asc"}) {
      assertThat(PrivateKeyFiles.looksLikeOne(d.resolve(yes))).as(yes).isTrue();
    }
    for (String no : new String[] {"id_rsa.pub", "cert.pem", "pub.asc", "absent"}) {
      assertThat(PrivateKeyFiles.looksLikeOne(d.resolve(no))).as(no).isFalse();
    }
  }

  @Test
  void aSpinInASubfolderCommitsThatFolderAlone() throws Exception {
    Path top = GitCli.init(tmp.resolve("monorepo"));
    Path infra = Files.createDirectories(top.resolve("infra-repo/infra"));
    Files.writeString(infra.resolve("Infra.java"), "class Infra {}\n");
    Files.writeString(top.resolve("App.java"), "class App {}\n");
    git(top, "add", "App.java");

    assertThat(InfraRepo.commitAndPush(infra.getParent(), "gantry host spin web", true).summary()).startsWith("committed ");
    assertThat(git(top, "show", "--name-only", "--format=", "HEAD").strip()).isEqualTo("infra-repo/infra/Infra.java");
    assertThat(git(top, "status", "--porcelain").strip()).isEqualTo("A  App.java");
    assertThat(InfraRepo.commitAndPush(infra.getParent(), "again", true).summary()).isEqualTo("nothing to commit");
  }

  @Test
  void aFolderOutsideGitIsLeftAloneBeforeASpin() {
    assertThat(InfraRepo.commitAndPush(tmp, "x", false).summary()).contains("is not a git repository");
  }

  @Test
  void hooksRunBeforeASpinButCannotRefuseTheRecordOfADeploy() throws Exception {
    Path dir = GitCli.init(tmp.resolve("infra"));
    Path hook = dir.resolve(".git/hooks/pre-commit");
    Files.writeString(hook, "#!/bin/sh\necho 'refused by the pre-commit hook' >&2\nexit 1\n");
    assertThat(hook.toFile().setExecutable(true)).isTrue();

    assertThat(InfraRepo.open(dir).commitRegistry(registry("A", 1), "deploy shop A", who)).isNotNull();
    Files.writeString(dir.resolve("hosts.yml"), "a\n");
    assertThatThrownBy(() -> InfraRepo.commitAndPush(dir, "gantry host spin web", false)).isInstanceOf(UserError.class)
        .hasMessageContaining("cannot commit the infrastructure repository");
  }

  @Test
  void signsExactlyWhenGitWould() {
    Config c = new Config();
    assertThat(InfraRepo.signs(c)).as("nothing configured").isFalse();
    c.setString("user", null, "signingKey", "ABCDEF0123456789");
    assertThat(InfraRepo.signs(c)).as("a key alone only says which key git would use").isFalse();
    c.setBoolean("commit", null, "gpgSign", true);
    assertThat(InfraRepo.signs(c)).isTrue();
    c.setBoolean("commit", null, "gpgSign", false);
    assertThat(InfraRepo.signs(c)).isFalse();
  }

  @Test
  void aKeyWithoutCommitGpgSignMakesAnUnsignedCommit() throws Exception {
    Path dir = GitCli.init(tmp.resolve("infra"));
    git(dir, "config", "user.signingkey", "ABCDEF0123456789");
    Files.writeString(dir.resolve(".gitignore"), "a\n");
    assertThat(InfraRepo.commitAndPush(dir, "gantry host spin web", false).summary()).startsWith("committed ")
        .doesNotContain("signed");
    assertThat(git(dir, "cat-file", "commit", "HEAD")).doesNotContain("gpgsig");
  }

  private static HostsRegistry registry(String release, long seq) {
    return HostsRegistry.empty().with("web1", "production", "10.0.0.2", "shop",
        new HostsRegistry.SystemEntry(release, Map.of("app", release), "compose", "2026-12-02T00:00:00Z", "ops", seq, null));
  }
}

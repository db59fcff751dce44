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
    Files.writeString(r.resolve("a.txt"), "a\n");
    String what = InfraRepo.commitAndPush(r, "gantry host spin web");
    assertThat(what).startsWith("committed ").endsWith("; pushed to origin");
    assertThat(git(origin, "log", "--format=%an %s", "main")).isEqualTo("Infra Tester gantry host spin web\n");
    Files.delete(r.resolve("a.txt"));
    InfraRepo.commitAndPush(r, "second");
    assertThat(git(r, "ls-files")).isEmpty();
    assertThat(InfraRepo.commitAndPush(r, "third")).startsWith("nothing to commit");
  }

  @Test
  void aSpinInASubfolderCommitsThatFolderAlone() throws Exception {
    Path top = GitCli.init(tmp.resolve("monorepo"));
    Path infra = Files.createDirectories(top.resolve("infra-repo/infra"));
    Files.writeString(infra.resolve("Infra.java"), "class Infra {}\n");
    Files.writeString(top.resolve("App.java"), "class App {}\n");
    git(top, "add", "App.java");

    assertThat(InfraRepo.commitAndPush(infra.getParent(), "gantry host spin web")).startsWith("committed ");
    assertThat(git(top, "show", "--name-only", "--format=", "HEAD").strip()).isEqualTo("infra-repo/infra/Infra.java");
    assertThat(git(top, "status", "--porcelain").strip()).isEqualTo("A  App.java");
    assertThat(InfraRepo.commitAndPush(infra.getParent(), "again")).isEqualTo("nothing to commit");
  }

  @Test
  void aFolderOutsideGitIsLeftAloneBeforeASpin() {
    assertThat(InfraRepo.commitAndPush(tmp, "x")).contains("is not a git repository");
  }

  @Test
  void hooksRunBeforeASpinButCannotRefuseTheRecordOfADeploy() throws Exception {
    Path dir = GitCli.init(tmp.resolve("infra"));
    Path hook = dir.resolve(".git/hooks/pre-commit");
    Files.writeString(hook, "#!/bin/sh\necho 'refused by the pre-commit hook' >&2\nexit 1\n");
    assertThat(hook.toFile().setExecutable(true)).isTrue();

    assertThat(InfraRepo.open(dir).commitRegistry(registry("A", 1), "deploy shop A", who)).isNotNull();
    Files.writeString(dir.resolve("a.txt"), "a\n");
    assertThatThrownBy(() -> InfraRepo.commitAndPush(dir, "gantry host spin web")).isInstanceOf(UserError.class)
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
    Files.writeString(dir.resolve("a.txt"), "a\n");
    assertThat(InfraRepo.commitAndPush(dir, "gantry host spin web")).startsWith("committed ").doesNotContain("signed");
    assertThat(git(dir, "cat-file", "commit", "HEAD")).doesNotContain("gpgsig");
  }

  private static HostsRegistry registry(String release, long seq) {
    return HostsRegistry.empty().with("web1", "production", "10.0.0.2", "shop",
        new HostsRegistry.SystemEntry(release, Map.of("app", release), "compose", "2026-12-02T00:00:00Z", "ops", seq, null));
  }
}

package dev.gantry.ci.hook;

import static dev.gantry.ci.testing.GitFixture.commitAll;
import static dev.gantry.ci.testing.GitFixture.git;
import static dev.gantry.ci.testing.GitFixture.gitResult;
import static dev.gantry.ci.testing.GitFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.ci.git.GitFailure;
import dev.gantry.ci.git.Mirror;
import dev.gantry.ci.git.MergeOutcome;
import dev.gantry.ci.testing.GitFixture;
import dev.gantry.core.UserError;
import dev.gantry.core.process.ProcessResult;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pre-receive guard of the central repository, with real pushes through git and through the gate. */
class GuardTest {
  static final String SECRET = "hook-secret-0123456789";
  static final URI NOWHERE = URI.create("http://127.0.0.1:9");

  @TempDir Path tmp;
  Path central;
  Path dev;
  String master;

  @BeforeEach
  void setUp() throws Exception {
    GitFixture fx = new GitFixture(tmp);
    central = fx.central("app", "README", "hello\n");
    new HookInstaller().install(central, NOWHERE, SECRET, false);
    dev = fx.clone(central, "dev");
    master = git(dev, "rev-parse", "HEAD");
    write(dev, "README", "changed\n");
    commitAll(dev, "change");
  }

  @Test
  void aDirectPushOfMasterIsRefusedWithTheMessageAndMasterStays() {
    ProcessResult r = gitResult(dev, "push", "origin", "HEAD:refs/heads/master");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("gantry: refused: master is guarded by Gantry: push to review/<name>")
        .contains("review/hotfix/<name>");
    assertThat(git(central, "rev-parse", "master")).isEqualTo(master);
    // deleting it is an update too
    assertThat(gitResult(dev, "push", "origin", ":refs/heads/master").stderr()).contains("master is guarded by Gantry");
    assertThat(git(central, "rev-parse", "master")).isEqualTo(master);
  }

  @Test
  void theGatesRefsAndNotesAreRefusedToOthersAndReviewBranchesAreNot() {
    ProcessResult r = gitResult(dev, "push", "origin", "HEAD:refs/gantry/candidates/1", "HEAD:refs/notes/commits");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("refs/gantry/candidates/1 is written only by the Gantry gate")
        .contains("refs/notes/commits is written only by the Gantry gate");
    assertThat(gitResult(central, "rev-parse", "--verify", "-q", "refs/gantry/candidates/1").ok()).isFalse();
    assertThat(gitResult(dev, "push", "origin", "HEAD:refs/heads/review/x").exitCode()).isZero();
    // one guarded ref in a push refuses it all, so nothing sneaks in beside a review branch
    assertThat(gitResult(dev, "push", "--atomic", "origin", "HEAD:refs/heads/review/y", "HEAD:refs/heads/master").exitCode()).isNotZero();
    assertThat(gitResult(central, "rev-parse", "--verify", "-q", "refs/heads/review/y").ok()).isFalse();
  }

  @Test
  void aForgedOrCopiedGateSignatureIsRefused() {
    String head = git(dev, "rev-parse", "HEAD");
    String wrongKey = GateSignature.option("another-secret-0123456789", List.of(head + " refs/heads/master"));
    String otherRef = GateSignature.option(SECRET, List.of(head + " refs/heads/review/x"));
    for (String option : List.of(wrongKey, otherRef, "gantry-gate=sha256=00", "gantry-gate=")) {
      ProcessResult r = gitResult(dev, "push", "-o", option, "origin", "HEAD:refs/heads/master");
      assertThat(r.stderr()).contains("master is guarded by Gantry");
    }
    assertThat(git(central, "rev-parse", "master")).isEqualTo(master);
    // the option signed for exactly this update passes: it is what the gate sends
    String right = GateSignature.option(SECRET, List.of(head + " refs/heads/master"));
    assertThat(gitResult(dev, "push", "-o", right, "origin", "HEAD:refs/heads/master").exitCode()).isZero();
    assertThat(git(central, "rev-parse", "master")).isEqualTo(head);
  }

  @Test
  void theGatePassesTheGuardThroughGitReceivePackAndAWrongSecretIsAClearFailure() throws Exception {
    git(dev, "push", "-q", "origin", "HEAD:refs/heads/review/x");
    String head = git(dev, "rev-parse", "HEAD");
    try (Mirror wrong = Mirror.open(tmp.resolve("wrong.git"), central.toString(), "another-secret-0123456789")) {
      wrong.fetch();
      assertThatThrownBy(() -> wrong.merge(master, head)).isInstanceOf(GitFailure.class).hasMessageContaining("refused to move master")
          .hasMessageNotContaining("another-secret");
      assertThatThrownBy(() -> wrong.publish(1, head)).isInstanceOf(GitFailure.class).hasMessageContaining("refused refs/gantry/candidates/1");
    }
    assertThat(git(central, "rev-parse", "master")).isEqualTo(master);
    try (Mirror gate = Mirror.open(tmp.resolve("mirror.git"), central.toString(), SECRET)) {
      gate.fetch();
      gate.publish(1, head);
      assertThat(git(central, "rev-parse", Mirror.candidateRef(1))).isEqualTo(head);
      assertThat(gate.merge(master, head)).isEqualTo(new MergeOutcome.Merged(head, false));
      gate.addNotes(List.of(head), "Build successful\n");
      gate.unpublish(1);
      assertThat(gate.deleteBranch("review/x", head)).isTrue();
    }
    assertThat(git(central, "rev-parse", "master")).isEqualTo(head);
    assertThat(git(central, "notes", "show", head)).startsWith("Build successful");
    assertThat(gitResult(central, "rev-parse", "--verify", "-q", Mirror.candidateRef(1)).ok()).isFalse();
  }

  @Test
  void installingAgainChangesNothingAndARepositorysOwnPreReceiveHookIsKeptAndRun() throws Exception {
    Path hooks = central.resolve("hooks");
    String guard = Files.readString(hooks.resolve("pre-receive"));
    new HookInstaller().install(central, NOWHERE, SECRET, false);
    assertThat(Files.readString(hooks.resolve("pre-receive"))).isEqualTo(guard);
    assertThat(hooks.resolve(HookInstaller.CHAINED)).doesNotExist();
    // a repository with a pre-receive hook of its own
    Files.writeString(hooks.resolve("pre-receive"), """
        #!/bin/sh
        if grep -q refs/heads/review/forbidden; then echo "house rule: no forbidden branches" >&2; exit 1; fi
        """);
    hooks.resolve("pre-receive").toFile().setExecutable(true);
    new HookInstaller().install(central, NOWHERE, SECRET, false);
    new HookInstaller().install(central, NOWHERE, SECRET, false);
    assertThat(Files.readString(hooks.resolve(HookInstaller.CHAINED))).contains("house rule");
    assertThat(Files.readString(hooks.resolve("pre-receive"))).isEqualTo(guard);
    ProcessResult house = gitResult(dev, "push", "origin", "HEAD:refs/heads/review/forbidden");
    assertThat(house.exitCode()).isNotZero();
    assertThat(house.stderr()).contains("house rule: no forbidden branches");
    assertThat(gitResult(dev, "push", "origin", "HEAD:refs/heads/review/fine").exitCode()).isZero();
    assertThat(gitResult(dev, "push", "origin", "HEAD:refs/heads/master").stderr()).contains("master is guarded by Gantry");
    // a second foreign hook while the first is still chained: refused, nothing overwritten
    Files.writeString(hooks.resolve("pre-receive"), "#!/bin/sh\nexit 0\n");
    assertThatThrownBy(() -> new HookInstaller().install(central, NOWHERE, SECRET, false)).isInstanceOf(UserError.class)
        .hasMessageContaining("was not written by Gantry").hasMessageContaining(HookInstaller.CHAINED);
    assertThat(Files.readString(hooks.resolve(HookInstaller.CHAINED))).contains("house rule");
  }
}

package dev.gantry.ci.git;

import static dev.gantry.ci.testing.GitFixture.commitAll;
import static dev.gantry.ci.testing.GitFixture.git;
import static dev.gantry.ci.testing.GitFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.queue.Effect.PatchRef;
import dev.gantry.ci.testing.GitFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorTest {
  @TempDir Path tmp;
  GitFixture fx;
  Path central;
  Path dev;
  String master;

  @BeforeEach
  void setUp() throws Exception {
    fx = new GitFixture(tmp);
    central = fx.central("app", "README", "hello\n", "src/a.txt", "a\n", "src/b.txt", "b\n");
    dev = fx.clone(central, "dev");
    master = git(dev, "rev-parse", "HEAD");
  }

  private String pushBranch(String branch, String file, String content) throws Exception {
    git(dev, "checkout", "-q", "-B", branch, master);
    write(dev, file, content);
    String sha = commitAll(dev, "change " + file);
    git(dev, "push", "-q", "-f", "origin", "HEAD:refs/heads/" + branch);
    return sha;
  }

  @Test
  void aLonePatchOnMasterIsTheCandidateItselfAndMergesAsAFastForwardWithNotes() throws Exception {
    String p = pushBranch("review", "src/a.txt", "a2\n");
    // signing for a guard this repository does not have (it takes no push options) changes nothing
    try (Mirror m = Mirror.open(tmp.resolve("mirror.git"), central.toString(), "hook-secret-0123456789")) {
      BuildOutcome o = m.build(1, null, List.of(new PatchRef(1, "review", p)));
      assertThat(o).isEqualTo(new BuildOutcome.Built(master, p));
      m.publish(1, p);
      assertThat(git(central, "rev-parse", Mirror.candidateRef(1))).isEqualTo(p);
      assertThat(m.merge(master, p)).isEqualTo(new MergeOutcome.Merged(p, false));
      assertThat(git(central, "rev-parse", "master")).isEqualTo(p);
      // a second merge after a restart pushes nothing and says so
      assertThat(m.merge(master, p)).isEqualTo(new MergeOutcome.Merged(p, true));
      m.addNotes(List.of(p), "Build successful\n\nhttp://ci/runs/4\n");
      git(dev, "fetch", "-q", "origin", "refs/notes/commits:refs/notes/commits");
      assertThat(git(dev, "notes", "show", p)).startsWith("Build successful").contains("http://ci/runs/4");
      m.addNotes(List.of(master), "Build successful\n");
      git(dev, "fetch", "-q", "-f", "origin", "refs/notes/commits:refs/notes/commits");
      assertThat(git(dev, "notes", "show", p)).startsWith("Build successful");
      assertThat(m.note(master)).contains("Build successful\n");
      m.unpublish(1);
      assertThat(GitFixture.gitResult(central, "rev-parse", "--verify", "-q", Mirror.candidateRef(1)).ok()).isFalse();
    }
  }

  @Test
  void severalPatchesMergeInOrderAndAConflictNamesItsPaths() throws Exception {
    String a = pushBranch("review/a", "src/a.txt", "a from a\n");
    String b = pushBranch("review/b", "src/b.txt", "b from b\n");
    String c = pushBranch("review/c", "src/a.txt", "a from c\n");
    try (Mirror m = Mirror.open(tmp.resolve("mirror.git"), central.toString())) {
      var built = (BuildOutcome.Built) m.build(2, null, List.of(new PatchRef(1, "review/a", a), new PatchRef(2, "review/b", b)));
      assertThat(m.contains(built.commit(), a)).isTrue();
      assertThat(m.contains(built.commit(), b)).isTrue();
      assertThat(m.diffStat(master, built.commit())).extracting(FileChange::path).containsExactlyInAnyOrder("src/a.txt", "src/b.txt");
      assertThat(m.commitsNotIn(master, built.commit())).hasSize(3);
      assertThat(m.commit(a)).hasValueSatisfying(ci -> assertThat(ci.author()).isEqualTo("Ann Author <ann@example.com>"));
      BuildOutcome conflict = m.build(3, null, List.of(new PatchRef(1, "review/a", a), new PatchRef(3, "review/c", c)));
      assertThat(conflict).isEqualTo(new BuildOutcome.Conflict(3, List.of("src/a.txt")));
      BuildOutcome missing = m.build(4, null, List.of(new PatchRef(9, "review/x", "0123456789012345678901234567890123456789")));
      assertThat(missing).isInstanceOf(BuildOutcome.Failed.class);
      assertThat(((BuildOutcome.Failed) missing).patch()).isEqualTo(9);
    }
  }

  @Test
  void aMasterMovedElsewhereIsNeverOverwritten() throws Exception {
    String p = pushBranch("review", "src/a.txt", "a2\n");
    try (Mirror m = Mirror.open(tmp.resolve("mirror.git"), central.toString())) {
      var built = (BuildOutcome.Built) m.build(1, null, List.of(new PatchRef(1, "review", p)));
      String other = pushBranch("master", "src/b.txt", "direct push\n");
      assertThat(m.merge(built.base(), built.commit())).isEqualTo(new MergeOutcome.Moved(other));
      assertThat(git(central, "rev-parse", "master")).isEqualTo(other);
      assertThat(m.reviewBranches()).containsEntry("review", p);
    }
  }
}

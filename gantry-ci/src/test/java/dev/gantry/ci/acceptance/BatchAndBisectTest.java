package dev.gantry.ci.acceptance;

import static dev.gantry.ci.testing.CiFixture.await;
import static dev.gantry.ci.testing.GitFixture.commitAll;
import static dev.gantry.ci.testing.GitFixture.git;
import static dev.gantry.ci.testing.GitFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.queue.PatchState;
import dev.gantry.ci.testing.CiFixture;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several patches tested together; the one that breaks a step is found by bisection. */
class BatchAndBisectTest {
  @TempDir Path tmp;
  CiFixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void ofThreePatchesTheMiddleOneIsRejectedWithItsTrailAndTheOthersMergeInFewerRuns() throws Exception {
    fx = CiFixture.create(tmp).startServer(0);
    // first, one good patch so that master is known to pass (as on any running server)
    String warm = fx.push("review/warm", "README", "app, documented\n");
    fx.agent("agent-1");
    await("the first patch to merge", Duration.ofSeconds(60), () -> fx.ci().state().patches().size() == 1 && fx.stateOf(warm) == PatchState.MERGED);
    long runsBefore = fx.ci().state().stepRuns();

    fx.ci().pause("collecting a batch");
    String a = fx.push("review/a", "src/a.txt", "a from a\n");
    String b = fx.push("review/b", "src/b.txt", "BROKEN by b\n");
    String c = fx.push("review/c", "src/c.txt", "c from c\n");
    await("three queued patches", Duration.ofSeconds(30), () -> fx.ci().state().live().size() == 3);
    fx.ci().resume();

    await("all three decided", Duration.ofSeconds(120), () -> fx.stateOf(a) == PatchState.MERGED && fx.stateOf(c) == PatchState.MERGED
        && fx.stateOf(b) == PatchState.REJECTED);
    String master = fx.master();
    assertThat(git(fx.central, "merge-base", "--is-ancestor", a, master)).isEmpty();
    assertThat(git(fx.central, "merge-base", "--is-ancestor", c, master)).isEmpty();
    assertThat(GitFixtureChecks.isAncestor(fx.central, b, master)).isFalse();

    var rejected = fx.patch(b);
    assertThat(rejected.reason()).contains("breaks step 'test'").contains("bisection over 3 patches");
    assertThat(rejected.trail()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(rejected.trail().get(0).patches()).hasSize(3);
    assertThat(rejected.trail().get(0).passed()).isFalse();
    assertThat(rejected.trail()).anyMatch(t -> t.passed() && !t.patches().contains(rejected.id()));
    String page = fx.get("/ci/patches/" + rejected.id());
    assertThat(page).contains("The bisection that singled it out").contains("step &#39;test&#39; failed").contains("step &#39;test&#39; passed");

    long runs = fx.ci().state().stepRuns() - runsBefore;
    int steps = 5;
    assertThat(runs).as("step runs for the batch, against %d for testing each patch alone", 3 * steps).isLessThan(3 * steps);
    assertThat(fx.get("/ci")).contains("step runs so far");
    // the merged patches were announced once each, the rejected one with its failing step
    var messages = fx.slack.awaitRequests(4, Duration.ofSeconds(30));
    assertThat(messages).filteredOn(m -> m.bodyText().contains("Merged")).hasSize(3);
    assertThat(messages).filteredOn(m -> m.bodyText().contains("Rejected #" + rejected.id())).hasSize(1);
  }

  @Test
  void aPatchThatConflictsWithMasterIsRejectedNamingThePaths() throws Exception {
    fx = CiFixture.create(tmp).startServer(0);
    fx.agent("agent-1");
    fx.ci().pause("two patches touching the same line");
    String first = fx.push("review/first", "src/a.txt", "first version\n");
    String second = fx.push("review/second", "src/a.txt", "second version\n");
    await("both queued", Duration.ofSeconds(30), () -> fx.ci().state().live().size() == 2);
    fx.ci().resume();
    await("the second to be rejected", Duration.ofSeconds(60), () -> fx.stateOf(second) == PatchState.REJECTED);
    assertThat(fx.patch(second).reason()).contains("conflicting paths src/a.txt");
    await("the first to merge", Duration.ofSeconds(60), () -> fx.stateOf(first) == PatchState.MERGED);
    assertThat(fx.master()).isEqualTo(first);
    var messages = fx.slack.awaitRequests(2, Duration.ofSeconds(30));
    assertThat(messages).anyMatch(m -> m.bodyText().contains("src/a.txt") && m.bodyText().contains("Rejected"));
  }

  /** A stack of commits pushed as one patch and rejected: the rejection names the commit that broke it. */
  @Test
  void aRejectedStackNamesItsFirstCommitThatFailsTheStep() throws Exception {
    fx = CiFixture.create(tmp).startServer(0);
    fx.agent("agent-1");
    git(fx.dev, "fetch", "-q", "origin");
    git(fx.dev, "checkout", "-q", "-B", "review/stack", "origin/master");
    write(fx.dev, "src/a.txt", "a, better\n");
    commitAll(fx.dev, "first: fine");
    write(fx.dev, "src/b.txt", "BROKEN\n");
    String breaking = commitAll(fx.dev, "second: breaks the tests");
    write(fx.dev, "src/c.txt", "c, better\n");
    String tip = commitAll(fx.dev, "third: fine again");
    git(fx.dev, "push", "-q", "origin", "HEAD:refs/heads/review/stack");

    await("the stack to be rejected", Duration.ofSeconds(120), () -> fx.ci().state().patches().size() == 1 && fx.stateOf(tip) == PatchState.REJECTED);
    String reason = fx.patch(tip).reason();
    assertThat(reason).startsWith("breaks step 'test'").endsWith("the first of its 3 commits that fails it: " + breaking.substring(0, 12) + " (commit 2)");
    assertThat(fx.get("/ci/patches/" + fx.patch(tip).id())).contains(breaking.substring(0, 12));
    assertThat(fx.slack.awaitRequests(1, Duration.ofSeconds(30)).get(0).bodyText()).contains(breaking.substring(0, 12));
  }
}

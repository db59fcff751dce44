package dev.gantry.ci.acceptance;

import static dev.gantry.ci.testing.CiFixture.await;
import static dev.gantry.ci.testing.GitFixture.git;
import static dev.gantry.ci.testing.GitFixture.gitResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.queue.JobStatus;
import dev.gantry.ci.queue.PatchState;
import dev.gantry.ci.testing.CiFixture;
import dev.gantry.core.process.ProcessResult;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only the gate moves master; a hotfix takes the priority lane past the queue. Real pushes, real hooks, agent JVMs. */
@Tag("integration")
class GuardedMasterTest {
  @TempDir Path tmp;
  CiFixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void aDirectPushToMasterIsRefusedAndAHotfixJumpsTheQueueAndMergesAlone() throws Exception {
    fx = CiFixture.create(tmp).startServer(0);
    fx.agent("agent-1");
    String before = fx.master();
    git(fx.dev, "checkout", "-q", "-B", "sneaky", "origin/master");
    dev.gantry.ci.testing.GitFixture.write(fx.dev, "src/a.txt", "straight to master\n");
    dev.gantry.ci.testing.GitFixture.commitAll(fx.dev, "sneak");
    ProcessResult direct = gitResult(fx.dev, "push", "origin", "HEAD:master");
    assertThat(direct.exitCode()).isNotZero();
    assertThat(direct.stderr()).contains("master is guarded by Gantry: push to review/<name>");
    assertThat(fx.master()).isEqualTo(before);

    // two ordinary patches, the first with a slow test step, are being tested when the hotfix arrives
    String a = fx.push("review/a", "src/a.txt", "a from a\n", "slow", "agent-1 8\n");
    String b = fx.push("review/b", "src/b.txt", "b from b\n");
    await("the batch's test step to run", Duration.ofSeconds(60), () -> fx.ci().state().activeCandidate()
        .map(c -> c.patches().size() == 2).orElse(false) && fx.ci().state().jobs().values().stream()
        .anyMatch(j -> j.step().equals("test") && j.status() == JobStatus.RUNNING));
    String fix = fx.push("review/hotfix/readme", "README", "fixed\n");
    await("the hotfix to merge", Duration.ofSeconds(60), () -> fx.ci().state().patches().values().stream()
        .anyMatch(p -> p.commit().equals(fix)) && fx.stateOf(fix) == PatchState.MERGED);
    assertThat(fx.stateOf(a)).isNotEqualTo(PatchState.MERGED);
    assertThat(fx.stateOf(b)).isNotEqualTo(PatchState.MERGED);
    var hotfix = fx.patch(fix);
    assertThat(hotfix.urgent()).isTrue();
    long lane = hotfix.candidates().get(hotfix.candidates().size() - 1);
    assertThat(fx.ci().database().candidate(lane).orElseThrow().patches()).containsExactly(hotfix.id());
    assertThat(git(fx.central, "merge-base", "--is-ancestor", fix, "master")).isEmpty();
    // the displaced batch follows, through the same guard
    await("the batch to merge after it", Duration.ofSeconds(90), () -> fx.stateOf(a) == PatchState.MERGED && fx.stateOf(b) == PatchState.MERGED);
    assertThat(git(fx.central, "merge-base", "--is-ancestor", a, "master")).isEmpty();
    assertThat(fx.get("/api/ci/patches/" + hotfix.id())).contains("\"urgent\":true");
  }

  @Test
  void aHotfixRepairsABrokenMasterThroughTheGateAndTheQueueGoesOn() throws Exception {
    fx = CiFixture.create(tmp);
    // master broke before Gantry guarded it
    fx.push("master", "src/c.txt", "BROKEN\n");
    fx.startServer(0);
    fx.agent("agent-1");
    String a = fx.push("review/a", "src/a.txt", "a from a\n");
    await("the queue to pause on master's own failure", Duration.ofSeconds(90), () -> fx.ci().state().paused());
    assertThat(fx.ci().state().pauseReason()).contains("fails step 'test' on its own").contains("review/hotfix/<name>");
    assertThat(fx.stateOf(a)).isEqualTo(PatchState.QUEUED);
    assertThat(gitResult(fx.dev, "push", "origin", "HEAD:master").stderr()).contains("master is guarded by Gantry");

    String fix = fx.push("review/hotfix/unbreak", "src/c.txt", "c\n");
    await("the hotfix to merge", Duration.ofSeconds(60), () -> fx.ci().state().patches().values().stream()
        .anyMatch(p -> p.commit().equals(fix)) && fx.stateOf(fix) == PatchState.MERGED);
    await("the waiting patch to follow", Duration.ofSeconds(60), () -> fx.stateOf(a) == PatchState.MERGED);
    assertThat(fx.ci().state().paused()).isFalse();
    assertThat(git(fx.central, "show", "master:src/c.txt")).isEqualTo("c");
  }
}

package dev.gantry.ci.acceptance;

import static dev.gantry.ci.testing.CiFixture.await;
import static dev.gantry.ci.testing.GitFixture.git;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.queue.Job;
import dev.gantry.ci.queue.PatchState;
import dev.gantry.ci.server.CiDatabase;
import dev.gantry.ci.testing.CiFixture;
import dev.gantry.core.testing.RecordingHttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A push to review, through the real hook and an agent JVM, to master (or not). */
class GatedMergeTest {
  @TempDir Path tmp;
  CiFixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void aPushToReviewIsTestedMergedNotedAndAnnounced() throws Exception {
    fx = CiFixture.create(tmp).startServer(0);
    fx.agent("agent-1");
    String before = fx.master();
    String sha = fx.push("review", "src/a.txt", "a, better\n");
    await("the hook to queue the push", Duration.ofSeconds(30), () -> fx.ci().state().patches().size() == 1);
    await("the patch to be merged", Duration.ofSeconds(60), () -> fx.stateOf(sha) == PatchState.MERGED);
    assertThat(fx.master()).isEqualTo(sha);
    assertThat(git(fx.central, "merge-base", "--is-ancestor", before, sha)).isEmpty();
    git(fx.dev, "fetch", "-q", "origin", "refs/notes/commits:refs/notes/commits");
    assertThat(git(fx.dev, "notes", "show", sha)).startsWith("Build successful").contains(fx.url() + "/ci/candidates/");
    List<RecordingHttpServer.Request> got = fx.slack.awaitRequests(1, Duration.ofSeconds(30));
    assertThat(got.get(0).path()).isEqualTo("/services/T000/B000/XXXX");
    assertThat(got.get(0).json().get("text").asText()).contains("Merged #1 review");
    // every step ran with the documented environment
    var patch = fx.patch(sha);
    List<CiDatabase.RunRow> runs = fx.ci().database().runsOf(patch.candidates().get(0));
    assertThat(runs).extracting(CiDatabase.RunRow::step).contains(Job.PREPARE, "compile", "test", "lint", "docs", "package");
    CiDatabase.RunRow test = runs.stream().filter(r -> r.step().equals("test")).findFirst().orElseThrow();
    String log = fx.ci().logs().read(test.id());
    assertThat(log).contains("commit=" + sha).contains("step=test").contains("url=" + fx.url() + "/ci/runs/" + test.id())
        .contains("patches=[1:review:" + sha + "]").contains("test done");
    // the pages show it
    assertThat(fx.get("/ci")).contains("merged").contains("review");
    assertThat(fx.get("/ci/runs/" + test.id())).contains("test done");
    assertThat(fx.get("/ci/agents")).contains("agent-1");
    assertThat(fx.get("/ci/stats")).contains("Slowest steps").contains("compile");
    assertThat(fx.get("/api/ci/status")).contains("\"paused\":false");
    // the merged branch is gone from the central repository, so review/<name> can follow review
    await("the merged branch to be deleted", Duration.ofSeconds(30), () -> git(fx.central, "branch", "--list", "review").isEmpty());
    git(fx.dev, "checkout", "-q", "--detach");
    git(fx.dev, "branch", "-q", "-D", "review");
    git(fx.dev, "fetch", "-q", "--prune", "origin");
    String next = fx.push("review/next", "src/next.txt", "next\n");
    await("the next patch to be merged", Duration.ofSeconds(60), () -> fx.ci().state().patches().values().stream()
        .anyMatch(p -> p.commit().equals(next)) && fx.stateOf(next) == PatchState.MERGED);
    // every log ends with its exit line
    assertThat(log.strip().lines().reduce((a, b) -> b).orElseThrow()).startsWith("[gantry] exit 0");
  }

  @Test
  void aFailingStepLeavesMasterAloneAndTellsTheAuthorWhichStepAndWhereTheLogIs() throws Exception {
    fx = CiFixture.create(tmp).startServer(0);
    fx.agent("agent-1");
    String before = fx.master();
    String sha = fx.push("review", "src/b.txt", "BROKEN\n");
    await("the patch to be rejected", Duration.ofSeconds(60), () -> fx.ci().state().patches().size() == 1 && fx.stateOf(sha) == PatchState.REJECTED);
    assertThat(fx.master()).isEqualTo(before);
    var got = fx.slack.awaitRequests(1, Duration.ofSeconds(30));
    String text = got.get(0).bodyText();
    assertThat(text).contains("Rejected #1 review").contains("Ann Author").contains("test").contains(fx.url() + "/ci/runs/")
        .contains("Last lines of the log:").contains("test failed: BROKEN found in the sources");
    assertThat(fx.patch(sha).reason()).contains("breaks step 'test'");
    String page = fx.get("/ci/patches/1");
    assertThat(page).contains("rejected").contains("step &#39;test&#39; failed");
    long run = fx.patch(sha).trail().get(0).runId();
    assertThat(fx.get("/ci/runs/" + run)).contains("test failed: BROKEN found in the sources");
    assertThat(fx.get("/api/ci/runs/" + run + "/log")).contains("test failed: BROKEN found in the sources");
  }
}

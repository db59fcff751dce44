package dev.gantry.ci.acceptance;

import static dev.gantry.ci.testing.CiFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.queue.Patch;
import dev.gantry.ci.queue.PatchState;
import dev.gantry.ci.testing.CiFixture;
import dev.gantry.core.testing.RecordingHttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that no online agent can take fails its candidate after ci.unschedulable-timeout, and the admins hear of it. */
@Tag("integration")
class UnschedulableStepTest {
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  @TempDir Path tmp;
  CiFixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private boolean rejected(String sha) {
    return fx.ci().state().patches().values().stream().anyMatch(p -> p.commit().equals(sha)) && fx.stateOf(sha) == PatchState.REJECTED;
  }

  @Test
  void aStepNoOnlineAgentOffersFailsTheCandidateWithItsReasonAfterTheTimeout() throws Exception {
    fx = CiFixture.create(tmp).tuned(s -> s.withUnschedulableTimeout(TIMEOUT)).startServer(0);
    String before = fx.master();

    // no agent at all: not even the prepare run can start
    String lonely = fx.push("review/lonely", "src/a.txt", "nobody tests me\n");
    await("the patch without agents to be rejected", Duration.ofSeconds(30), () -> rejected(lonely));
    Patch alone = fx.patch(lonely);
    assertThat(alone.reason()).isEqualTo("prepare could not be scheduled: no agent could take it for 2s: waiting for an agent; no agent is online");
    assertThat(Duration.between(alone.submitted(), alone.closed())).isGreaterThanOrEqualTo(TIMEOUT);

    // an agent, but none offering gpu
    fx.agent("agent-1");
    String sha = fx.push("review/gpu", ".gantry/Pipeline.java", CiFixture.pipeline("""
        p.step("unit").run("true");
        p.step("train").requires("gpu").run("true");
        """));
    await("the gpu patch to be rejected", Duration.ofSeconds(60), () -> rejected(sha));
    Patch p = fx.patch(sha);
    assertThat(p.reason()).startsWith("step 'train' could not be scheduled: no agent could take it for 2s: "
        + "waiting for an agent offering gpu; online: agent-1 [");
    assertThat(fx.master()).isEqualTo(before);
    assertThat(fx.get("/ci/patches/" + p.id())).contains("could not be scheduled");
    long run = fx.ci().database().runsOf(p.candidates().get(p.candidates().size() - 1)).stream()
        .filter(r -> r.step().equals("train")).findFirst().orElseThrow().id();
    assertThat(fx.get("/api/ci/runs/" + run + "/log")).contains("waiting for an agent offering gpu");

    // the authors and the admins are told, through the same notifier
    List<RecordingHttpServer.Request> got = fx.slack.awaitRequests(4, Duration.ofSeconds(30));
    List<String> texts = got.stream().map(RecordingHttpServer.Request::bodyText).toList();
    assertThat(texts).anyMatch(t -> t.contains("Rejected #2 review/gpu") && t.contains("could not be scheduled"));
    assertThat(texts).filteredOn(t -> t.contains("A step found no agent")).hasSize(2)
        .anyMatch(t -> t.contains("waiting for an agent offering gpu") && t.contains("its candidate failed"));
  }
}

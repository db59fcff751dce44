package dev.gantry.ci.acceptance;

import static dev.gantry.ci.testing.CiFixture.await;
import static dev.gantry.ci.testing.GitFixture.git;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.ci.queue.JobStatus;
import dev.gantry.ci.queue.PatchState;
import dev.gantry.ci.server.CiDatabase;
import dev.gantry.ci.api.Json;
import dev.gantry.ci.testing.CiFixture;
import dev.gantry.ci.testing.JvmProcess;
import dev.gantry.core.process.ProcessGroup;
import dev.gantry.ci.testing.TestWeb;
import dev.gantry.core.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents and the server die at bad moments; the queue neither loses nor doubles anything. */
@Tag("integration")
class ResilienceTest {
  @TempDir Path tmp;
  CiFixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void aStepOfAnAgentKilledMidRunIsRunAgainOnAnotherAgent() throws Exception {
    fx = CiFixture.create(tmp).startServer(0);
    JvmProcess first = fx.agent("agent-1");
    String sha = fx.push("review/slow", "slow", "agent-1 60\n");
    await("test to run on agent-1", Duration.ofSeconds(60), () -> fx.ci().state().jobs().values().stream()
        .anyMatch(j -> j.step().equals("test") && j.status() == JobStatus.RUNNING && "agent-1".equals(j.agent())));
    fx.agent("agent-2");
    first.kill();
    await("the patch to merge through agent-2", Duration.ofSeconds(60), () -> fx.stateOf(sha) == PatchState.MERGED);
    List<CiDatabase.RunRow> runs = fx.ci().database().runsOf(fx.patch(sha).candidates().get(0));
    assertThat(runs).anyMatch(r -> r.step().equals("test") && r.status() == JobStatus.LOST && r.agent().equals("agent-1"));
    assertThat(runs).anyMatch(r -> r.step().equals("test") && r.status() == JobStatus.PASSED && r.agent().equals("agent-2"));
    // compile's workspace was on agent-1, so compile ran again beside test on agent-2
    assertThat(runs).anyMatch(r -> r.step().equals("compile") && r.status() == JobStatus.PASSED && r.agent().equals("agent-2"));
    assertThat(fx.master()).isEqualTo(sha);
  }

  @Test
  void anAgentKilledOutrightEndsTheStepsItLeftRunningWhenItStartsAgain() throws Exception {
    fx = CiFixture.create(tmp).startServer(0);
    JvmProcess agent = fx.agent("agent-1");
    fx.push("review/orphan", "slow", "agent-1 300\n");
    Path notes = tmp.resolve("agents/agent-1/running");
    await("test to run on agent-1", Duration.ofSeconds(60), () -> fx.ci().state().jobs().values().stream()
        .anyMatch(j -> j.step().equals("test") && j.status() == JobStatus.RUNNING && Files.exists(notes.resolve(j.id() + ".pid"))));
    long run = fx.ci().state().jobs().values().stream().filter(j -> j.step().equals("test") && j.status() == JobStatus.RUNNING)
        .findFirst().orElseThrow().id();
    long pgid = Long.parseLong(Files.readString(notes.resolve(run + ".pid")).split(" ")[0]);

    agent.crash();
    Thread.sleep(500);
    assertThat(ProcessGroup.members(pgid)).as("the step outlives its agent").isNotEmpty();

    fx.agent("agent-1");
    await("the leftover step to end", Duration.ofSeconds(30), () -> ProcessGroup.members(pgid).isEmpty());
  }

  @Test
  void aServerKilledMidQueueResumesWithNothingLostAndNothingMergedTwice() throws Exception {
    fx = CiFixture.create(tmp);
    JvmProcess server = fx.startServerJvm(0);
    int port = fx.port();
    fx.agent("agent-1");
    fx.post("/api/ci/pause", "{\"reason\":\"batch\"}", "Authorization", "Bearer " + TestWeb.ADMIN_TOKEN);
    String a = fx.push("review/a", "src/a.txt", "a from a\n", "slow", "agent-1 8\n");
    String b = fx.push("review/b", "src/b.txt", "b from b\n");
    await("both queued", Duration.ofSeconds(30), () -> status().path("patches").size() == 2);
    fx.post("/api/ci/resume", "", "Authorization", "Bearer " + TestWeb.ADMIN_TOKEN);
    await("test to be running", Duration.ofSeconds(60), () -> {
      for (JsonNode j : status().path("jobs")) {
        if (j.path("step").asText().equals("test") && j.path("status").asText().equals("RUNNING")) {
          return true;
        }
      }
      return false;
    });
    server.kill();
    // a push while the server is down: the hook cannot reach it, the push is kept
    String c = fx.push("review/c", "src/c.txt", "c from c\n");
    fx.startServerJvm(port);
    await("all three merged", Duration.ofSeconds(120), () -> {
      JsonNode s = status();
      long merged = 0;
      for (JsonNode p : s.path("patches")) {
        merged += p.path("state").asText().equals("MERGED") ? 1 : 0;
      }
      return merged == 3;
    });
    String master = fx.master();
    for (String sha : List.of(a, b, c)) {
      assertThat(GitFixtureChecks.isAncestor(fx.central, sha, master)).as(sha + " on master").isTrue();
    }
    String log = git(fx.central, "log", "--format=%s", "master");
    for (String branch : List.of("review/a", "review/b", "review/c")) {
      assertThat(Arrays.stream(log.split("\n")).filter(l -> l.contains(branch + " ")).count()).as("merges of " + branch).isLessThanOrEqualTo(1);
    }
    await("announcements", Duration.ofSeconds(30), () -> fx.slack.requests().stream().filter(r -> r.bodyText().contains("Merged")).count() >= 3);
    Thread.sleep(500);
    assertThat(fx.slack.requests()).filteredOn(r -> r.bodyText().contains("Merged")).hasSize(3);
    // the run that was interrupted by the crash finished on the agent and was accepted after the restart
    JsonNode patches = status().path("patches");
    assertThat(patches).allMatch(p -> p.path("state").asText().equals("MERGED"));
  }

  @Test
  void aMergeInterruptedAfterThePushIsCompletedOnceOnRestart() throws Exception {
    fx = CiFixture.create(tmp).startServer(0);
    fx.agent("agent-1");
    String sha = fx.push("review/x", "src/a.txt", "x\n");
    await("merged", Duration.ofSeconds(60), () -> fx.ci().state().live().isEmpty() && fx.ci().state().patches().size() == 1
        && fx.stateOf(sha) == PatchState.MERGED);
    fx.slack.awaitRequests(1, Duration.ofSeconds(30));
    fx.stopServer();
    // as if the server died right after pushing master, before it recorded the merge
    try (Store store = Store.open(tmp.resolve("server/gantry.db"))) {
      long last = store.queryOne("select max(seq) from ci_event where type = 'MergeSucceeded'", rs -> rs.getLong(1)).orElseThrow();
      store.update("delete from ci_event where seq >= ?", last);
    }
    int port = fx.port();
    fx.startServer(port);
    await("the merge to be recorded again", Duration.ofSeconds(30), () -> fx.stateOf(sha) == PatchState.MERGED);
    assertThat(fx.master()).isEqualTo(sha);
    git(fx.dev, "fetch", "-q", "-f", "origin", "refs/notes/commits:refs/notes/commits");
    assertThat(git(fx.dev, "notes", "show", sha)).startsWith("Build successful");
    assertThat(git(fx.central, "rev-list", "--count", "master")).isEqualTo("2");
  }

  private JsonNode status() {
    try {
      return Json.read(fx.get("/api/ci/status"), JsonNode.class);
    } catch (Exception e) {
      return Json.read("{}", JsonNode.class);
    }
  }
}

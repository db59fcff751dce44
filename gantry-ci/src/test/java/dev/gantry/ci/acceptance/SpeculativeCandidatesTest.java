package dev.gantry.ci.acceptance;

import static dev.gantry.ci.testing.CiFixture.await;
import static dev.gantry.ci.testing.GitFixture.git;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.ci.api.Json;
import dev.gantry.ci.queue.Candidate;
import dev.gantry.ci.queue.PatchState;
import dev.gantry.ci.testing.CiFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With three agents, three queued good patches are tested at once, as three speculative candidates, and merge in order. */
@Tag("integration")
class SpeculativeCandidatesTest {
  static final String SLOW_PIPELINE = CiFixture.pipeline("p.step(\"test\").run(\"sleep 5 && ./build.sh test\");\n");

  @TempDir Path tmp;

  @Test
  void threeAgentsTestThreeQueuedPatchesAtOnceAndMergeThemInOrder() throws Exception {
    try (CiFixture fx = CiFixture.create(tmp).startServer(0)) {
      threeAtOnce(fx);
    }
  }

  private static void threeAtOnce(CiFixture fx) throws Exception {
    for (String name : List.of("agent-1", "agent-2", "agent-3")) {
      fx.agent(name);
    }
    // one slow step; merging it also makes master a verified base
    String warm = fx.push("review/warm", ".gantry/Pipeline.java", SLOW_PIPELINE);
    await("the pipeline change to merge", Duration.ofSeconds(60), () -> fx.stateOf(warm) == PatchState.MERGED);
    await("three agent slots online", Duration.ofSeconds(30), () -> fx.ci().window() == 3);

    fx.ci().pause("collecting three patches");
    String a = fx.push("review/a", "src/a.txt", "a from a\n");
    String b = fx.push("review/b", "src/b.txt", "b from b\n");
    String c = fx.push("review/c", "src/c.txt", "c from c\n");
    await("three queued patches", Duration.ofSeconds(30), () -> fx.ci().state().live().size() == 3);
    fx.ci().resume();

    await("three candidates at once", Duration.ofSeconds(20), () -> fx.ci().state().candidates().size() == 3);
    List<Candidate> candidates = fx.ci().state().candidates();
    assertThat(candidates).extracting(Candidate::patches)
        .containsExactly(List.of(fx.patch(a).id()), List.of(fx.patch(b).id()), List.of(fx.patch(c).id()));
    JsonNode status = Json.MAPPER.readTree(fx.get("/api/ci/status"));
    assertThat(status.get("followers")).hasSize(2);
    assertThat(status.get("window").asInt()).isEqualTo(3);
    assertThat(fx.get("/ci")).contains("speculative behind");
    assertThat(fx.get("/ci/candidates/" + candidates.get(2).id())).contains("speculative: behind");

    await("all three merged", Duration.ofSeconds(60), () -> List.of(a, b, c).stream().allMatch(x -> fx.stateOf(x) == PatchState.MERGED));
    String master = fx.master();
    for (String x : List.of(a, b, c)) {
      assertThat(git(fx.central, "merge-base", "--is-ancestor", x, master)).isEmpty();
    }
    // merged in queue order, each in a candidate of its own
    assertThat(fx.patch(a).closed()).isBeforeOrEqualTo(fx.patch(b).closed());
    assertThat(fx.patch(b).closed()).isBeforeOrEqualTo(fx.patch(c).closed());
    // their test runs overlapped in time, by the API's start and finish times
    List<Instant> starts = new ArrayList<>();
    List<Instant> ends = new ArrayList<>();
    for (String x : List.of(a, b, c)) {
      JsonNode runs = Json.MAPPER.readTree(fx.get("/api/ci/patches/" + fx.patch(x).id())).get("runs");
      JsonNode test = null;
      for (JsonNode r : runs) {
        if (r.get("step").asText().equals("test") && r.get("status").asText().equals("PASSED")) {
          test = r;
        }
      }
      assertThat(test).as("the passed test run of %s", x).isNotNull();
      starts.add(Json.MAPPER.treeToValue(test.get("started"), Instant.class));
      ends.add(Json.MAPPER.treeToValue(test.get("finished"), Instant.class));
    }
    Instant lastStart = starts.stream().max(Instant::compareTo).orElseThrow();
    Instant firstEnd = ends.stream().min(Instant::compareTo).orElseThrow();
    assertThat(lastStart).as("the three test runs overlap: starts %s, ends %s", starts, ends).isBefore(firstEnd);
  }
}

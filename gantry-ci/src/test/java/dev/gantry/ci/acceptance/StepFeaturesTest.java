package dev.gantry.ci.acceptance;

import static dev.gantry.ci.testing.CiFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.queue.JobStatus;
import dev.gantry.ci.queue.PatchState;
import dev.gantry.ci.server.CiDatabase;
import dev.gantry.ci.testing.CiFixture;
import dev.gantry.ci.testing.JvmProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java steps, incremental workspaces, artifacts, and cancellation that kills the process tree. */
@Tag("integration")
class StepFeaturesTest {
  @TempDir Path tmp;
  CiFixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  static final String PIPELINE = """
      import dev.gantry.ci.pipeline.PipelineBuilder;
      import dev.gantry.ci.pipeline.PipelineDefinition;
      import java.nio.file.Files;

      public class Pipeline implements PipelineDefinition {
        public void define(PipelineBuilder p) {
          var compile = p.step("compile").incremental().artifacts("out/*.txt")
              .run("mkdir -p out && cat src/*.txt > out/result.txt && echo \\"$GANTRY_CANDIDATE\\" >> out/history.txt");
          p.step("check").after(compile).run(ctx -> {
            if (!Files.exists(ctx.workspace().resolve("out/result.txt"))) {
              throw new IllegalStateException("compile left no out/result.txt");
            }
            ctx.log("java step sees " + ctx.env().get("GANTRY_COMMIT") + " in " + ctx.env().get("GANTRY_STEP"));
          });
        }
      }
      """;

  @Test
  void javaStepsRunInTheirOwnJvmAndIncrementalStepsKeepTheirWorkspace() throws Exception {
    fx = CiFixture.create(tmp).startServer(0);
    fx.agent("agent-1");
    String first = fx.push("review/java", ".gantry/Pipeline.java", PIPELINE);
    await("first merge", Duration.ofSeconds(90), () -> fx.ci().state().patches().size() == 1 && fx.stateOf(first) == PatchState.MERGED);
    String second = fx.push("review/again", "src/a.txt", "again\n");
    await("second merge", Duration.ofSeconds(90), () -> fx.ci().state().patches().size() == 2 && fx.stateOf(second) == PatchState.MERGED);
    List<CiDatabase.RunRow> runs = fx.ci().database().runsOf(fx.patch(second).candidates().get(0));
    CiDatabase.RunRow check = runs.stream().filter(r -> r.step().equals("check")).findFirst().orElseThrow();
    assertThat(fx.ci().logs().read(check.id())).contains("java step sees " + second + " in check");
    // the second candidate's compile ran in the first one's workspace: two lines of history
    Path ws = tmp.resolve("agents/agent-1/ws/c" + fx.patch(second).candidates().get(0));
    assertThat(Files.readAllLines(ws.resolve("out/history.txt"))).hasSize(2);
    CiDatabase.RunRow compile = runs.stream().filter(r -> r.step().equals("compile")).findFirst().orElseThrow();
    Path artifact = tmp.resolve("agents/agent-1/artifacts/" + compile.id() + "/out/result.txt");
    assertThat(Files.readString(artifact)).startsWith("again");
  }

  @Test
  void aCancelledRunHasItsWholeProcessTreeKilled() throws Exception {
    fx = CiFixture.create(tmp).startServer(0);
    JvmProcess agent = fx.agent("agent-1");
    String slow = fx.push("review/slow", "slow", "agent-1 120\n");
    await("test to run", Duration.ofSeconds(60), () -> fx.ci().state().jobs().values().stream()
        .anyMatch(j -> j.step().equals("test") && j.status() == JobStatus.RUNNING));
    await("the sleep to start", Duration.ofSeconds(30), () -> sleeps(agent) > 0);
    long run = fx.ci().state().jobs().values().stream().filter(j -> j.step().equals("test")).findFirst().orElseThrow().id();
    // a new patch joins the plausible candidate: the running test is cancelled
    fx.push("review/other", "src/c.txt", "other\n");
    await("the cancelled run's processes to be gone", Duration.ofSeconds(60), () -> sleeps(agent) == 0);
    assertThat(fx.ci().database().run(run).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(fx.stateOf(slow)).isIn(PatchState.TESTING, PatchState.QUEUED, PatchState.PLAUSIBLE, PatchState.MERGED);
  }

  private static long sleeps(JvmProcess agent) {
    return agent.descendants().stream().filter(p -> p.info().command().map(c -> c.endsWith("sleep")).orElse(false)).count();
  }
}

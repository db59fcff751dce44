package dev.gantry.ci.acceptance;

import static dev.gantry.ci.testing.CiFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.hook.Hmac;
import dev.gantry.ci.queue.PatchState;
import dev.gantry.ci.testing.CiFixture;
import dev.gantry.ci.testing.JvmProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** What the CI refuses, and how clearly. One server and agent for the whole class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  Path tmp;
  CiFixture fx;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    tmp = dir;
    fx = CiFixture.create(tmp).startServer(0);
    fx.agent("agent-1");
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  private long events() {
    return fx.ci().database().patches(1000).size() + fx.ci().state().stepRuns();
  }

  @Test
  void aHookCallWithAWrongOrMissingSignatureIsRefusedAndChangesNothing() throws Exception {
    String sha = fx.master();
    String body = "0000000000000000000000000000000000000000 " + sha + " refs/heads/review/evil\n";
    long before = events();
    var wrong = fx.post("/api/ci/hook", body, "X-Gantry-Signature", Hmac.sign("not-the-secret-at-all", body.getBytes(StandardCharsets.UTF_8)));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("signature");
    var missing = fx.post("/api/ci/hook", body);
    assertThat(missing.statusCode()).isEqualTo(401);
    var tampered = fx.post("/api/ci/hook", body.replace("evil", "evil2"),
        "X-Gantry-Signature", Hmac.sign(CiFixture.HOOK_SECRET, body.getBytes(StandardCharsets.UTF_8)));
    assertThat(tampered.statusCode()).isEqualTo(401);
    assertThat(events()).isEqualTo(before);
    // a signed call with lines that are not pushes of review branches queues nothing
    String junk = "hello\n" + "0000000000000000000000000000000000000000 " + sha + " refs/heads/master\n";
    var signed = fx.post("/api/ci/hook", junk, "X-Gantry-Signature", Hmac.sign(CiFixture.HOOK_SECRET, junk.getBytes(StandardCharsets.UTF_8)));
    assertThat(signed.statusCode()).isEqualTo(202);
    assertThat(signed.body()).isEqualTo("{\"queued\":[]}");
  }

  @Test
  void aPipelineWithACycleFailsTheCandidateNamingTheCycle() throws Exception {
    String sha = fx.push("review/cycle", ".gantry/Pipeline.java", """
        import dev.gantry.ci.pipeline.PipelineBuilder;
        import dev.gantry.ci.pipeline.PipelineDefinition;

        public class Pipeline implements PipelineDefinition {
          public void define(PipelineBuilder p) {
            p.step("compile").after("test").run("true");
            p.step("test").after("compile").run("true");
          }
        }
        """);
    await("rejection", Duration.ofSeconds(60), () -> fx.ci().state().patches().values().stream().anyMatch(p -> p.commit().equals(sha))
        && fx.stateOf(sha) == PatchState.REJECTED);
    var p = fx.patch(sha);
    assertThat(p.reason()).contains("breaks step 'prepare'");
    assertThat(p.trail().get(0).note()).contains("the steps form a cycle: compile -> test -> compile");
    assertThat(fx.get("/ci/patches/" + p.id())).contains("the steps form a cycle");
  }

  @Test
  void aPipelineThatDoesNotCompileFailsTheCandidateWithTheCompilerMessages() throws Exception {
    String sha = fx.push("review/typo", ".gantry/Pipeline.java", """
        import dev.gantry.ci.pipeline.PipelineBuilder;
        import dev.gantry.ci.pipeline.PipelineDefinition;

        public class Pipeline implements PipelineDefinition {
          public void define(PipelineBuilder p) {
            p.step("compile").run("true")
          }
        }
        """);
    await("rejection", Duration.ofSeconds(60), () -> fx.ci().state().patches().values().stream().anyMatch(p -> p.commit().equals(sha))
        && fx.stateOf(sha) == PatchState.REJECTED);
    String note = fx.patch(sha).trail().get(0).note();
    assertThat(note).contains("the pipeline does not compile").contains(".gantry/Pipeline.java:6:").contains("';' expected");
  }

  @Test
  void anAgentWithAWrongTokenIsRefused() throws Exception {
    var r = fx.post("/api/ci/agent/poll", "{\"name\":\"intruder\",\"capabilities\":[],\"slots\":1,\"running\":[]}",
        "Authorization", "Bearer wrong-token-0123456789");
    assertThat(r.statusCode()).isEqualTo(401);
    var none = fx.post("/api/ci/agent/heartbeat", "{\"name\":\"intruder\"}");
    assertThat(none.statusCode()).isEqualTo(401);
    JvmProcess intruder = JvmProcess.start(dev.gantry.ci.cli.AgentCommand.class, tmp.resolve("intruder.out"),
        "--server", fx.url(), "--token", "wrong-token-0123456789", "--name", "intruder", "--work", tmp.resolve("intruder").toString());
    assertThat(intruder.waitFor(Duration.ofSeconds(60))).isEqualTo(1);
    assertThat(intruder.output()).contains("refused the agent token (401)").doesNotContain("wrong-token-0123456789");
    assertThat(fx.ci().agents()).noneMatch(a -> a.name().equals("intruder"));
  }

  @Test
  void malformedAgentRequestsGetAClearAnswer() throws Exception {
    String auth = "Bearer " + CiFixture.AGENT_TOKEN;
    var garbage = fx.post("/api/ci/agent/heartbeat", "{not json", "Authorization", auth);
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.body()).contains("malformed AgentHello JSON");
    var badName = fx.post("/api/ci/agent/heartbeat", "{\"name\":\"../etc\"}", "Authorization", auth);
    assertThat(badName.statusCode()).isEqualTo(400);
    assertThat(badName.body()).contains("agent name '../etc' is invalid");
    var notMine = fx.post("/api/ci/agent/runs/999999/finished", "{\"passed\":true}", "Authorization", auth, "X-Gantry-Agent", "agent-1");
    assertThat(notMine.statusCode()).isEqualTo(409);
    assertThat(notMine.body()).contains("run 999999 is not running on agent agent-1");
  }

  @Test
  void changingTheQueueNeedsTheAdminToken() throws Exception {
    assertThat(fx.post("/api/ci/pause", "{}").statusCode()).isEqualTo(401);
    assertThat(fx.post("/api/ci/submit", "{\"ref\":\"review/x\"}", "Authorization", "Bearer nope-nope-nope-nope").statusCode()).isEqualTo(401);
    assertThat(fx.post("/ci/actions/pause", "").statusCode()).isEqualTo(401);
    assertThat(fx.ci().state().paused()).isFalse();
    var unknown = fx.post("/api/ci/submit", "{\"ref\":\"review/does-not-exist\"}", "Authorization", "Bearer " + dev.gantry.ci.testing.TestWeb.ADMIN_TOKEN);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("branch 'review/does-not-exist' does not exist");
    var retry = fx.post("/api/ci/patches/424242/retry", "", "Authorization", "Bearer " + dev.gantry.ci.testing.TestWeb.ADMIN_TOKEN);
    assertThat(retry.statusCode()).isEqualTo(400);
    assertThat(retry.body()).contains("no patch #424242");
  }
}

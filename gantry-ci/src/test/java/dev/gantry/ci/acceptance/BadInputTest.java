package dev.gantry.ci.acceptance;

import static dev.gantry.ci.testing.CiFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.hook.Hmac;
import dev.gantry.ci.hook.HookInstaller;
import dev.gantry.ci.hook.HookMessage;
import dev.gantry.ci.queue.PatchState;
import dev.gantry.ci.testing.CiFixture;
import dev.gantry.ci.testing.GitFixture;
import dev.gantry.ci.testing.JvmProcess;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
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

  /** A hook call as the installed hook makes it: now, a fresh nonce, signed with {@code secret}. */
  private HttpResponse<String> hook(String body, String secret, long epochSecond, String nonce) throws Exception {
    String ts = String.valueOf(epochSecond);
    return fx.post("/api/ci/hook", body, "X-Gantry-Timestamp", ts, "X-Gantry-Nonce", nonce,
        "X-Gantry-Signature", HookMessage.sign(secret, ts, nonce, body.getBytes(StandardCharsets.UTF_8)));
  }

  private HttpResponse<String> hook(String body) throws Exception {
    return hook(body, CiFixture.HOOK_SECRET, Instant.now().getEpochSecond(), freshNonce());
  }

  private static String freshNonce() {
    return HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16).putLong(System.nanoTime())
        .putLong(ThreadLocalRandom.current().nextLong()).array());
  }

  @Test
  void aHookCallWithAWrongOrMissingSignatureIsRefusedAndChangesNothing() throws Exception {
    String sha = fx.master();
    String body = "0000000000000000000000000000000000000000 " + sha + " refs/heads/review/evil\n";
    long before = events();
    var wrong = hook(body, "not-the-secret-at-all", Instant.now().getEpochSecond(), freshNonce());
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("signature");
    var missing = fx.post("/api/ci/hook", body);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.body()).contains("install it again with `gantry ci install-hook`");
    // the form of an older hook: the body alone signed
    var bodyOnly = fx.post("/api/ci/hook", body, "X-Gantry-Signature", Hmac.sign(CiFixture.HOOK_SECRET, body.getBytes(StandardCharsets.UTF_8)));
    assertThat(bodyOnly.statusCode()).isEqualTo(401);
    String ts = String.valueOf(Instant.now().getEpochSecond());
    String nonce = freshNonce();
    var tampered = fx.post("/api/ci/hook", body.replace("evil", "evil2"), "X-Gantry-Timestamp", ts, "X-Gantry-Nonce", nonce,
        "X-Gantry-Signature", HookMessage.sign(CiFixture.HOOK_SECRET, ts, nonce, body.getBytes(StandardCharsets.UTF_8)));
    assertThat(tampered.statusCode()).isEqualTo(401);
    assertThat(events()).isEqualTo(before);
    // a signed call with lines that are not pushes of review branches queues nothing
    String junk = "hello\n" + "0000000000000000000000000000000000000000 " + sha + " refs/heads/master\n";
    var signed = hook(junk);
    assertThat(signed.statusCode()).isEqualTo(202);
    assertThat(signed.body()).isEqualTo("{\"queued\":[],\"ignored\":[]}");
  }

  @Test
  void aHookMessageSentAgainOrTooLateIsRefused() throws Exception {
    String sha = fx.master();
    String body = "0000000000000000000000000000000000000000 " + sha + " refs/heads/review/replayed\n";
    long now = Instant.now().getEpochSecond();
    String nonce = freshNonce();
    assertThat(hook(body, CiFixture.HOOK_SECRET, now, nonce).statusCode()).isEqualTo(202);

    var again = hook(body, CiFixture.HOOK_SECRET, now, nonce);
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(again.body()).contains("received before: a replay");
    var stale = hook(body, CiFixture.HOOK_SECRET, now - 600, freshNonce());
    assertThat(stale.statusCode()).isEqualTo(401);
    assertThat(stale.body()).contains("10 minutes ago, more than 5 minutes");
  }

  @Test
  void aHookMessageIsCheckedAgainstTheCentralRepositoryNotBelieved() throws Exception {
    fx.ci().pause("holding the queue while branches move");
    try {
      String x1 = fx.push("review/moved", "moved.txt", "1\n");
      String x2 = fx.push("review/moved", "moved.txt", "2\n");
      // signed now, but naming a commit the branch no longer points at, and a branch nobody pushed
      var r = hook("0000000000000000000000000000000000000000 " + x1 + " refs/heads/review/moved\n"
          + "0000000000000000000000000000000000000000 " + x1 + " refs/heads/review/forged\n");

      assertThat(r.statusCode()).isEqualTo(202);
      assertThat(r.body()).contains("\"queued\":[]")
          .contains("review/moved points at " + x2.substring(0, 12) + " now, not at " + x1.substring(0, 12))
          .contains("branch review/forged does not exist");
      assertThat(fx.ci().state().patches().values()).noneMatch(p -> p.commit().equals(x1) && !p.state().terminal());
    } finally {
      fx.ci().resume();
    }
  }

  @Test
  void thePusherIsToldWhenAPushQueuesNothingAndWhy() throws Exception {
    GitFixture.git(fx.dev, "fetch", "-q", "origin");
    var r = GitFixture.gitResult(fx.dev, "push", "origin", "origin/master:refs/heads/review/nothing-new");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).contains("gantry: nothing queued for CI:").contains("master already contains " + fx.master().substring(0, 12));
  }

  @Test
  void aPushToARepositoryThisServerDoesNotGuardIsToldSoAndQueuesNothing() throws Exception {
    long before = events();
    Path other = fx.git.central("other", "README", "other\n");
    new HookInstaller().install(other, URI.create(fx.url()), CiFixture.HOOK_SECRET, false);
    Path clone = fx.git.clone(other, "other-dev");
    GitFixture.write(clone, "README", "changed\n");
    GitFixture.commitAll(clone, "a change nobody guards");

    var r = GitFixture.gitResult(clone, "push", "origin", "HEAD:refs/heads/review/elsewhere");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).contains("gantry: nothing queued for CI:")
        .contains("this server guards " + fx.central + ", not " + other.toRealPath())
        .doesNotContain("later");
    assertThat(events()).isEqualTo(before);
  }

  @Test
  void aStepNoOnlineAgentCanRunSaysWhyAtOnceInStatusPageAndLog() throws Exception {
    String sha = fx.push("review/gpu", ".gantry/Pipeline.java", CiFixture.pipeline("p.step(\"train\").requires(\"gpu\").run(\"true\");"));
    try {
      await("the train step to wait", Duration.ofSeconds(60), () -> fx.ci().waiting().values().stream().anyMatch(w -> w.contains("gpu")));
      long run = fx.ci().waiting().entrySet().stream().filter(e -> e.getValue().contains("gpu")).findFirst().orElseThrow().getKey();
      String why = "waiting for an agent offering gpu; online: agent-1 [";

      assertThat(fx.get("/api/ci/status")).contains(why);
      assertThat(fx.get("/api/ci/runs/" + run + "/log")).startsWith("[gantry] " + why);
      assertThat(fx.get("/ci/runs/" + run)).contains(why);
    } finally {
      fx.ci().remove(fx.patch(sha).id());
    }
  }

  @Test
  void aRunThatIsNotANumberIsAClearError() throws Exception {
    var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(fx.url() + "/api/ci/runs/abc/log")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("'abc' is not a number").doesNotContain("TYPE_CONVERSION");
  }

  @Test
  void aPipelineWithACycleFailsTheCandidateNamingTheCycle() throws Exception {
    String sha = fx.push("review/cycle", ".gantry/Pipeline.java", CiFixture.pipeline("""
        p.step("compile").after("test").run("true");
        p.step("test").after("compile").run("true");
        """));
    await("rejection", Duration.ofSeconds(60), () -> fx.ci().state().patches().values().stream().anyMatch(p -> p.commit().equals(sha))
        && fx.stateOf(sha) == PatchState.REJECTED);
    var p = fx.patch(sha);
    assertThat(p.reason()).contains("breaks step 'prepare'");
    assertThat(p.trail().get(0).note()).contains("the steps form a cycle: compile -> test -> compile");
    assertThat(fx.get("/ci/patches/" + p.id())).contains("the steps form a cycle");
  }

  @Test
  void aPipelineThatDoesNotCompileFailsTheCandidateWithTheCompilerMessages() throws Exception {
    String sha = fx.push("review/typo", ".gantry/Pipeline.java", CiFixture.pipeline("p.step(\"compile\").run(\"true\")"));
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
    var notABoolean = fx.post("/api/ci/submit", "{\"ref\":\"review/x\",\"urgent\":\"very\"}", "Authorization", "Bearer " + dev.gantry.ci.testing.TestWeb.ADMIN_TOKEN);
    assertThat(notABoolean.statusCode()).isEqualTo(400);
    assertThat(notABoolean.body()).contains("malformed SubmitRequest JSON").doesNotContain("at com.fasterxml");
    var retry = fx.post("/api/ci/patches/424242/retry", "", "Authorization", "Bearer " + dev.gantry.ci.testing.TestWeb.ADMIN_TOKEN);
    assertThat(retry.statusCode()).isEqualTo(400);
    assertThat(retry.body()).contains("no patch #424242");
  }

  @Test
  void anAdminActionTheQueueRefusesIsAClearErrorThatChangesNothing() throws Exception {
    String admin = "Bearer " + dev.gantry.ci.testing.TestWeb.ADMIN_TOKEN;
    long before = events();
    var remove = fx.post("/api/ci/patches/424243/remove", "", "Authorization", admin);
    assertThat(remove.statusCode()).isEqualTo(400);
    assertThat(remove.body()).contains("no patch #424243 in the queue").doesNotContain("Exception");
    var skip = fx.post("/api/ci/candidates/424244/skip/lint", "", "Authorization", admin);
    assertThat(skip.statusCode()).isEqualTo(400);
    assertThat(skip.body()).contains("no step 'lint' is waiting or running on candidate 424244").doesNotContain("Exception");
    assertThat(events()).isEqualTo(before);
  }
}

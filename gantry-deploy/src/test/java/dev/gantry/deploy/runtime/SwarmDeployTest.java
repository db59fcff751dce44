package dev.gantry.deploy.runtime;

import static dev.gantry.deploy.testing.Sandbox.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.target.Target;
import dev.gantry.deploy.docker.ContainerState;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.engine.DeployEngine;
import dev.gantry.deploy.engine.DeployResult;
import dev.gantry.deploy.engine.HostTarget;
import dev.gantry.deploy.ledger.ReleaseRecord;
import dev.gantry.deploy.model.Frontend;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.HealthCheck;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.testing.FrontPoller;
import dev.gantry.deploy.testing.InterceptingTarget;
import dev.gantry.deploy.testing.Sandbox;
import dev.gantry.deploy.testing.SwarmLease;
import dev.gantry.deploy.testing.Systems;
import dev.gantry.deploy.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The same model deployed with `docker stack deploy` on a one-node swarm, made once per
 * machine and kept ({@link SwarmLease} says why).
 */
@Tag("integration")
class SwarmDeployTest {
  Sandbox sb;
  SwarmRuntime swarm;
  DeployEngine engine;
  HostTarget host;
  int port;

  GantrySystem system() {
    return GantrySystem.named("stack")
        .service("db", s -> s.image(TestImages.DB).port(7000).volume("dbdata", "/var/lib/db")
            .health(HealthCheck.http("/health").every(Duration.ofMillis(500)).timeout(Duration.ofSeconds(1)).retries(2)))
        .service("app", s -> s.image(TestImages.APP).port(8080)
            .health(HealthCheck.http("/health").every(Duration.ofMillis(500)).timeout(Duration.ofSeconds(1)).retries(2)))
        .frontend(Frontend.nginx().image(TestImages.NGINX).listen(port).route("/", "app:8080"));
  }

  @BeforeAll
  static void joinSwarm() {
    Sandbox.requireDocker();
    SwarmLease.holdForThisRun();
  }

  @BeforeEach
  void setUp() throws Exception {
    sb = new Sandbox();
    swarm = new SwarmRuntime(new Docker(sb.exec));
    engine = new DeployEngine(sb.engine().context().withOptions(sb.options().withPublicPortsUnderSwarm(true)));
    host = sb.host("swarm");
    port = Systems.freePort();
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      String stack = engine.layout("stack", host).project();
      // the runtime's own remove also takes the stack's label off this shared node
      swarm.remove(engine.layout("stack", host));
      for (int i = 0; i < 60 && !sb.sh("docker ps -aq --filter label=com.docker.stack.namespace=" + stack).isBlank(); i++) {
        Thread.sleep(1000);
      }
      for (int i = 0; i < 30 && sb.sh("docker network ls --format '{{.Name}}'").contains(stack); i++) {
        Thread.sleep(1000);
      }
    } finally {
      sb.close();
    }
  }

  String appRelease() {
    ContainerState c = swarm.states(engine.layout("stack", host)).stream().filter(s -> s.service().equals("app") && s.running())
        .findFirst().orElseThrow();
    return sb.sh("docker exec " + c.id() + " wget -q -O - http://127.0.0.1:8080/release.txt").strip();
  }

  DeployResult deploy(String release) {
    GantrySystem s = system();
    return engine.deploy(s, host, Release.parse(release, s), swarm);
  }

  @Test
  void deploysAStackWithStartFirstUpdatesForStatelessServices() {
    DeployResult r = deploy("A");
    assertThat(r.ok()).as(r.summary() + "\n" + sb.progress).isTrue();
    assertThat(r.record().orElseThrow().runtime()).isEqualTo("swarm");
    assertThat(appRelease()).isEqualTo("A");
    String project = engine.layout("stack", host).project();
    assertThat(sb.sh("docker service inspect --format '{{json .Spec.UpdateConfig}}' " + project + "_app"))
        .contains("\"FailureAction\":\"rollback\"", "\"Order\":\"start-first\"");
    assertThat(sb.sh("docker service inspect --format '{{json .Spec.UpdateConfig}}' " + project + "_db"))
        .contains("\"Order\":\"stop-first\"");
  }

  @Test
  void updatesToBWithoutAFailedRequestThroughTheFront() {
    assertThat(deploy("A").ok()).as(sb.progress.toString()).isTrue();
    List<FrontPoller.Answer> answers;
    DeployResult r;
    try (FrontPoller poller = new FrontPoller(port, "/release.txt", 20, 180_000)) {
      sleep(500);
      r = deploy("B");
      sleep(3000); // nginx resolves the service again within 2 s
      answers = poller.stop();
    }
    assertThat(r.ok()).as(r.summary() + "\n" + sb.progress).isTrue();
    assertThat(r.record().orElseThrow().backupId()).isNotNull();
    assertThat(appRelease()).isEqualTo("B");
    assertThat(answers).hasSizeGreaterThan(20);
    assertThat(answers.stream().filter(FrontPoller.Answer::failed).toList()).as("failed requests").isEmpty();
    assertThat(answers.get(answers.size() - 1).body()).isEqualTo("B");
  }

  @Test
  void anUnhealthyUpdateIsRolledBack() {
    assertThat(deploy("A").ok()).isTrue();
    DeployResult r = deploy("C");
    assertThat(r.ok()).isFalse();
    ReleaseRecord rec = r.record().orElseThrow();
    assertThat(rec.outcome()).as(rec.reason() + "\n" + sb.progress).isEqualTo(ReleaseRecord.Outcome.ROLLED_BACK);
    assertThat(rec.reason()).containsAnyOf("unhealthy", "swarm rollback", "swarm paused");
    assertThat(appRelease()).isEqualTo("A");
  }

  @Test
  void aLoopbackPortIsRefusedUnderSwarmUntilAccepted() {
    DeployEngine strict = sb.engine();
    GantrySystem s = system();
    assertThatThrownBy(() -> strict.deploy(s, host, Release.parse("A", s), swarm))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("publishes 127.0.0.1:" + port + " on loopback")
        .hasMessageContaining("--public-ports")
        .hasMessageContaining("nothing was changed");
    assertThat(Files.exists(Path.of(strict.layout(s, host).dir()))).isFalse();
    assertThat(new Docker(sb.exec).volumeExists(strict.layout(s, host).volumeName("dbdata"))).isFalse();
  }

  @Test
  void anEngineOutsideASwarmIsRefusedBeforeAnyChange() {
    Target notInSwarm = InterceptingTarget.answering(sb.exec, argv -> argv.contains("{{.Swarm.LocalNodeState}}"),
        "inactive\n");
    HostTarget h = new HostTarget("plain", "test", "127.0.0.1", notInSwarm, host.root(), sb.prefix);
    GantrySystem s = system();
    SwarmRuntime runtime = new SwarmRuntime(new Docker(notInSwarm));
    assertThatThrownBy(() -> engine.deploy(s, h, Release.parse("A", s), runtime))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("is not part of a swarm (state: inactive)");
    assertThat(Files.exists(Path.of(engine.layout(s, h).dir()))).isFalse();
    assertThat(new Docker(sb.exec).volumeExists(engine.layout(s, h).volumeName("dbdata"))).isFalse();
    assertThat(engine.store(s, h).list()).isEmpty();
  }

  @Test
  void aWorkerOfASwarmIsRefusedBeforeAnyChange() {
    Target worker = InterceptingTarget.answering(sb.exec, argv -> argv.contains("{{.Swarm.ControlAvailable}}"), "false\n");
    HostTarget h = new HostTarget("worker", "test", "127.0.0.1", worker, host.root(), sb.prefix);
    GantrySystem s = system();
    assertThatThrownBy(() -> engine.deploy(s, h, Release.parse("A", s), new SwarmRuntime(new Docker(worker))))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("is a swarm worker, not a manager");
    assertThat(Files.exists(Path.of(engine.layout(s, h).dir()))).isFalse();
    assertThat(engine.store(s, h).list()).isEmpty();
  }
}

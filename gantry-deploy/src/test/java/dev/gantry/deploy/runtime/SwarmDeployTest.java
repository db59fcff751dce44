package dev.gantry.deploy.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.deploy.docker.ContainerState;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.engine.DeployEngine;
import dev.gantry.deploy.engine.DeployResult;
import dev.gantry.deploy.engine.HostTarget;
import dev.gantry.deploy.ledger.ReleaseRecord;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.HealthCheck;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.testing.Sandbox;
import dev.gantry.deploy.testing.TestImages;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The same model deployed with `docker stack deploy` on a one-node swarm made for the test. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmDeployTest {
  static Sandbox sb;
  static boolean createdSwarm;
  static SwarmRuntime swarm;
  static DeployEngine engine;
  static HostTarget host;
  static final GantrySystem SYSTEM = GantrySystem.named("stack")
      .service("db", s -> s.image(TestImages.DB).port(7000).volume("dbdata", "/var/lib/db")
          .health(HealthCheck.http("/health").every(Duration.ofMillis(500)).timeout(Duration.ofSeconds(1)).retries(2)))
      .service("app", s -> s.image(TestImages.APP).port(8080).dependsOn("db").volume("events", "/data/events")
          .health(HealthCheck.http("/health").every(Duration.ofMillis(500)).timeout(Duration.ofSeconds(1)).retries(2)));

  @BeforeAll
  static void setUp() throws Exception {
    sb = new Sandbox();
    Docker docker = new Docker(sb.exec);
    if (!docker.swarmState().equals("active")) {
      sb.sh("docker swarm init --advertise-addr 127.0.0.1");
      createdSwarm = true;
    }
    swarm = new SwarmRuntime(docker);
    engine = sb.engine();
    host = sb.host("swarm");
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      String stack = host.layout("stack").project();
      sb.exec.run(Duration.ofMinutes(1), "docker", "stack", "rm", stack);
      for (int i = 0; i < 60 && !sb.sh("docker ps -aq --filter label=com.docker.stack.namespace=" + stack).isBlank(); i++) {
        Thread.sleep(1000);
      }
      for (int i = 0; i < 30 && sb.sh("docker network ls --format '{{.Name}}'").contains(stack); i++) {
        Thread.sleep(1000);
      }
    } finally {
      if (createdSwarm) {
        sb.exec.run(Duration.ofMinutes(1), "docker", "swarm", "leave", "--force");
        sb.exec.run(Duration.ofMinutes(1), "docker", "network", "rm", "docker_gwbridge");
      }
      sb.close();
    }
  }

  static String appRelease() {
    ContainerState c = swarm.states(host.layout("stack")).stream().filter(s -> s.service().equals("app")).findFirst().orElseThrow();
    return sb.sh("docker exec " + c.id() + " wget -q -O - http://127.0.0.1:8080/release.txt").strip();
  }

  @Test
  @Order(1)
  void deploysAStackAndWaitsForHealth() {
    DeployResult r = engine.deploy(SYSTEM, host, Release.parse("A", SYSTEM), swarm, false);
    assertThat(r.ok()).as(r.summary() + "\n" + sb.progress).isTrue();
    assertThat(r.record().orElseThrow().runtime()).isEqualTo("swarm");
    assertThat(appRelease()).isEqualTo("A");
    assertThat(sb.sh("docker service inspect --format '{{json .Spec.UpdateConfig}}' " + host.layout("stack").project() + "_app"))
        .contains("\"FailureAction\":\"rollback\"");
  }

  @Test
  @Order(2)
  void updatesToB() {
    DeployResult r = engine.deploy(SYSTEM, host, Release.parse("B", SYSTEM), swarm, false);
    assertThat(r.ok()).as(r.summary() + "\n" + sb.progress).isTrue();
    assertThat(appRelease()).isEqualTo("B");
    assertThat(r.record().orElseThrow().backupId()).isNotNull();
  }

  @Test
  @Order(3)
  void anUnhealthyUpdateIsRolledBack() {
    DeployResult r = engine.deploy(SYSTEM, host, Release.parse("C", SYSTEM), swarm, false);
    assertThat(r.ok()).isFalse();
    ReleaseRecord rec = r.record().orElseThrow();
    assertThat(rec.outcome()).as(rec.reason() + "\n" + sb.progress).isEqualTo(ReleaseRecord.Outcome.ROLLED_BACK);
    assertThat(rec.reason()).containsAnyOf("unhealthy", "swarm rollback", "swarm paused");
    assertThat(appRelease()).isEqualTo("B");
  }
}

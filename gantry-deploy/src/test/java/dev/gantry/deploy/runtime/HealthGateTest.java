package dev.gantry.deploy.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.deploy.docker.ContainerState;
import dev.gantry.deploy.runtime.HealthGate.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Verdicts on container snapshots, and the waiting loop with a virtual clock. */
class HealthGateTest {
  static final Map<String, String> EXPECTED = Map.of("app", "app:B", "db", "db:B");

  static ContainerState c(String svc, String image, String status, String health, int restarts) {
    return new ContainerState("id-" + svc, svc, image, status, health, status.equals("exited") ? 2 : 0, restarts, "HTTP 404");
  }

  @Test
  void verdicts() {
    assertThat(HealthGate.evaluate(List.of(c("app", "app:B", "running", "healthy", 0), c("db", "db:B", "running", "", 0)), EXPECTED))
        .isInstanceOf(Verdict.Healthy.class);
    assertThat(HealthGate.evaluate(List.of(c("app", "app:B", "running", "starting", 0), c("db", "db:B", "running", "", 0)), EXPECTED))
        .isEqualTo(new Verdict.Waiting("app (health check starting)"));
    assertThat(HealthGate.evaluate(List.of(c("app", "app:B", "running", "unhealthy", 0), c("db", "db:B", "running", "", 0)), EXPECTED))
        .isEqualTo(new Verdict.Failed("service app is unhealthy: HTTP 404"));
    assertThat(HealthGate.evaluate(List.of(c("app", "app:B", "exited", "", 0)), EXPECTED))
        .isEqualTo(new Verdict.Failed("service app exited with code 2"));
    assertThat(HealthGate.evaluate(List.of(c("app", "app:B", "restarting", "", 3)), EXPECTED))
        .isInstanceOfSatisfying(Verdict.Failed.class, f -> assertThat(f.reason()).contains("keeps restarting (3 restarts"));
    assertThat(HealthGate.evaluate(List.of(c("app", "app:A", "running", "healthy", 0), c("db", "db:B@sha256:ab", "running", "", 0)), EXPECTED))
        .isEqualTo(new Verdict.Waiting("app (still at another image than app:B)"));
    assertThat(HealthGate.evaluate(List.of(), Map.of("app", "app:B")))
        .isEqualTo(new Verdict.Waiting("app (no container yet)"));
  }

  static ContainerState checkedAt(String svc, String health, String lastCheck) {
    return new ContainerState("id-" + svc, svc, svc + ":B", "running", health, 0, 0, "HTTP 502", "", "", lastCheck);
  }

  @Test
  void anUnhealthyVerdictGivenBeforeTheChangeWaitsForTheNextCheck() {
    Map<String, String> front = Map.of("front", "front:B");
    List<ContainerState> before = List.of(checkedAt("front", "unhealthy", "2026-12-02T10:00:01.5Z"));
    // the same check as before the change: not the gate's verdict
    assertThat(HealthGate.evaluate(List.of(checkedAt("front", "unhealthy", "2026-12-02T10:00:01.5Z")), front, before))
        .isEqualTo(new Verdict.Waiting("front (unhealthy before the change, waiting for its next health check)"));
    // a check that ran after it and failed again fails the gate
    assertThat(HealthGate.evaluate(List.of(checkedAt("front", "unhealthy", "2026-12-02T10:00:03.5Z")), front, before))
        .isEqualTo(new Verdict.Failed("service front is unhealthy: HTTP 502"));
    assertThat(HealthGate.evaluate(List.of(checkedAt("front", "healthy", "2026-12-02T10:00:03.5Z")), front, before))
        .isInstanceOf(Verdict.Healthy.class);
    // another container (a new one under the same service) is judged on its own checks
    ContainerState other = new ContainerState("id-new", "front", "front:B", "running", "unhealthy", 0, 0, "HTTP 502", "", "",
        "2026-12-02T10:00:01.5Z");
    assertThat(HealthGate.evaluate(List.of(other), front, before)).isInstanceOf(Verdict.Failed.class);
    // without a look from before, unhealthy fails at once as always
    assertThat(HealthGate.evaluate(List.of(checkedAt("front", "unhealthy", "2026-12-02T10:00:01.5Z")), front))
        .isInstanceOf(Verdict.Failed.class);
  }

  @Test
  void waitingEndsAtTheTimeoutNamingWhatWasAwaited() {
    Instant[] now = {Instant.parse("2025-01-01T00:00:00Z")};
    Clock clock = new Clock() {
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      public Clock withZone(java.time.ZoneId z) {
        return this;
      }

      public Instant instant() {
        now[0] = now[0].plusSeconds(1);
        return now[0];
      }
    };
    AtomicInteger polls = new AtomicInteger();
    Verdict v = HealthGate.await(() -> {
      polls.incrementAndGet();
      return new Verdict.Waiting("db (health check starting)");
    }, Duration.ofSeconds(5), clock, Duration.ZERO);
    assertThat(v).isEqualTo(new Verdict.Failed("not healthy after 5s, still waiting for db (health check starting)"));
    assertThat(polls.get()).isBetween(3, 6);
  }
}

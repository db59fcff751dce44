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

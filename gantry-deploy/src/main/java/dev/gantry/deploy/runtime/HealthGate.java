package dev.gantry.deploy.runtime;

import dev.gantry.deploy.docker.ContainerState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Waits until every service of a system runs and passes its health check, and says why
 * when one does not: unhealthy (with the check's last output), exited, restarting, or
 * still starting when the time is up. The verdict on one snapshot is a pure function.
 *
 * <pre>{@code
 * Verdict v = HealthGate.await(() -> HealthGate.evaluate(runtime.states(layout), Map.of("app", "capital/app:abc")),
 *     Duration.ofMinutes(2), Clock.systemUTC(), Duration.ofMillis(500));
 * }</pre>
 */
public final class HealthGate {
  /** Restarts tolerated before a restarting container counts as failed. */
  static final int MAX_RESTARTS = 2;

  private HealthGate() {}

  /** The state of a system at one moment. */
  public sealed interface Verdict {
    /** Every service runs and is healthy. */
    record Healthy() implements Verdict {}

    /** Not there yet; {@code waitingFor} says on what. */
    record Waiting(String waitingFor) implements Verdict {}

    /** A service failed; {@code reason} says which and how. */
    record Failed(String reason) implements Verdict {}
  }

  /** Judges one snapshot of the containers against the services expected. */
  public static Verdict evaluate(List<ContainerState> states, Map<String, String> expected) {
    return evaluate(states, expected, List.of());
  }

  /**
   * As {@link #evaluate(List, Map)}, for a gate after a change to running containers (a front
   * given other routes in a rollback): an {@code unhealthy} whose latest check is one
   * {@code before} already holds is the verdict on how things were, so the gate waits for
   * the container's next check instead of failing on it.
   */
  public static Verdict evaluate(List<ContainerState> states, Map<String, String> expected, List<ContainerState> before) {
    Map<String, String> checkedBefore = new HashMap<>();
    before.forEach(c -> checkedBefore.put(c.id(), c.lastHealthCheck()));
    List<String> waiting = new ArrayList<>();
    for (Map.Entry<String, String> e : expected.entrySet()) {
      String service = e.getKey();
      List<ContainerState> all = states.stream().filter(s -> s.service().equals(service)).toList();
      List<ContainerState> mine = all.stream().filter(s -> sameImage(s.image(), e.getValue())).toList();
      if (mine.isEmpty() && !all.isEmpty()) {
        waiting.add(service + " (still at another image than " + e.getValue() + ")");
        continue;
      }
      if (mine.isEmpty()) {
        waiting.add(service + " (no container yet)");
        continue;
      }
      if (all.stream().anyMatch(c -> c.running() && !sameImage(c.image(), e.getValue()))) {
        // Swarm's start-first update: the release is done once the old task has gone
        waiting.add(service + " (a task at another image still runs)");
      }
      for (ContainerState c : mine) {
        switch (c.status()) {
          case "exited", "dead" -> {
            return new Verdict.Failed("service " + service + " exited with code " + c.exitCode());
          }
          case "restarting" -> {
            if (c.restartCount() > MAX_RESTARTS) {
              return new Verdict.Failed("service " + service + " keeps restarting (" + c.restartCount()
                  + " restarts, last exit code " + c.exitCode() + ")");
            }
            waiting.add(service + " (restarting)");
          }
          case "running" -> {
            if (c.health().equals("unhealthy") && !c.lastHealthCheck().isEmpty()
                && c.lastHealthCheck().equals(checkedBefore.get(c.id()))) {
              waiting.add(service + " (unhealthy before the change, waiting for its next health check)");
            } else if (c.health().equals("unhealthy")) {
              return new Verdict.Failed("service " + service + " is unhealthy"
                  + (c.lastHealthOutput().isBlank() ? "" : ": " + oneLine(c.lastHealthOutput())));
            } else if (c.health().equals("starting")) {
              waiting.add(service + " (health check starting)");
            } else if (c.restartCount() > MAX_RESTARTS) {
              return new Verdict.Failed("service " + service + " keeps restarting (" + c.restartCount() + " restarts)");
            }
          }
          default -> waiting.add(service + " (" + c.status() + ")");
        }
      }
    }
    return waiting.isEmpty() ? new Verdict.Healthy() : new Verdict.Waiting(String.join(", ", waiting));
  }

  /** Polls {@code probe} until healthy, failed, or {@code timeout}; a timeout is a failure naming what was awaited. */
  public static Verdict await(Supplier<Verdict> probe, Duration timeout, Clock clock, Duration pollEvery) {
    Instant deadline = clock.instant().plus(timeout);
    Verdict v = probe.get();
    while (v instanceof Verdict.Waiting w) {
      if (!clock.instant().isBefore(deadline)) {
        return new Verdict.Failed("not healthy after " + timeout.toSeconds() + "s, still waiting for " + w.waitingFor());
      }
      try {
        Thread.sleep(pollEvery.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Verdict.Failed("interrupted while waiting for " + w.waitingFor());
      }
      v = probe.get();
    }
    return v;
  }

  /** Swarm records {@code repo:tag@sha256:...}; compose records the reference as written. */
  static boolean sameImage(String actual, String expected) {
    return actual.equals(expected) || actual.startsWith(expected + "@");
  }

  private static String oneLine(String s) {
    String t = s.replace('\n', ' ').strip();
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }
}

package dev.gantry.ci.queue;

import dev.gantry.ci.pipeline.StepGraph;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Drives the engine in tests: applies events in virtual time and keeps every effect. */
final class Sim {
  final QueueEngine engine;
  QueueState state = QueueState.empty();
  Instant now = Instant.parse("2024-01-01T00:00:00Z");
  final List<Effect> effects = new ArrayList<>();
  List<Effect> last = List.of();
  Optional<Refusal> refused = Optional.empty();
  int builds;

  Sim(int maxBatch) {
    engine = new QueueEngine(maxBatch);
  }

  Sim(int maxBatch, int maxWindow) {
    engine = new QueueEngine(maxBatch, maxWindow);
  }

  Sim apply(Event e) {
    now = now.plus(Duration.ofSeconds(1));
    Transition t = engine.apply(state, e, now);
    state = t.state();
    last = t.effects();
    refused = t.refused();
    effects.addAll(last);
    return this;
  }

  long submit(String branch, String commit) {
    apply(new Event.PatchSubmitted(branch, commit, "Ann <ann@example.com>", "change " + commit));
    return state.patches().values().stream().filter(p -> p.commit().equals(commit)).mapToLong(Patch::id).max().orElse(-1);
  }

  Candidate active() {
    return state.active();
  }

  /** Builds the active candidate: commit is "m(" + patch commits + ")" on the given base. */
  Sim build(String base) {
    Candidate c = state.active();
    String commit = c.patches().isEmpty() ? base : base + "+" + String.join("+", c.patches().stream().map(id -> state.patches().get(id).commit()).toList());
    builds++;
    return apply(new Event.CandidateBuilt(c.id(), c.base() != null ? c.base() : base, commit));
  }

  /** Assigns the prepare run to {@code agent} and reports {@code graph}. */
  Sim prepare(String agent, StepGraph graph) {
    Job j = Scheduler.pick(state, agent, Set.of()).orElseThrow();
    apply(new Event.JobAssigned(j.id(), agent));
    return apply(new Event.PrepareSucceeded(j.id(), graph));
  }

  /** Runs every ready step on {@code agent}; {@code fails} decides which fail. */
  Sim runAll(String agent, java.util.function.Predicate<Job> fails) {
    while (true) {
      var next = Scheduler.pick(state, agent, Set.of("linux", "docker"));
      if (next.isEmpty()) {
        return this;
      }
      Job j = next.get();
      apply(new Event.JobAssigned(j.id(), agent));
      apply(new Event.JobFinished(j.id(), !fails.test(j), fails.test(j) ? "exit 1" : "exit 0"));
    }
  }

  <T extends Effect> List<T> effects(Class<T> type) {
    return effects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends Effect> List<T> lastEffects(Class<T> type) {
    return last.stream().filter(type::isInstance).map(type::cast).toList();
  }

  PatchState stateOf(long id) {
    return state.patches().get(id).state();
  }
}

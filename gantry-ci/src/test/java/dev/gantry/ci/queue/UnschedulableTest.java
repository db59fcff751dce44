package dev.gantry.ci.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.pipeline.StepGraph;
import dev.gantry.ci.pipeline.StepSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A run no online agent can take fails its candidate after the timeout, with the reason, and the admins are told. */
class UnschedulableTest {
  static final Duration TEN_MINUTES = Duration.ofMinutes(10);
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  static final StepGraph GPU = StepGraph.of(List.of(
      StepSpec.shell("unit", "u"),
      StepSpec.shell("train", "t").withRequires(Set.of("gpu")).withSameAgent(false)));

  @Test
  void aRunExpiresOnlyAfterWaitingTheWholeTimeoutWithoutABreak() {
    Map<Long, String> gpu = Map.of(7L, "waiting for an agent offering gpu; online: local [linux]");
    UnschedulableWatch w = UnschedulableWatch.empty();
    UnschedulableWatch.Check c = w.observe(gpu, T0, TEN_MINUTES);
    assertThat(c.expired()).isEmpty();
    c = c.next().observe(gpu, T0.plus(Duration.ofMinutes(9)), TEN_MINUTES);
    assertThat(c.expired()).isEmpty();
    // an agent that could take it came and went: the count starts again
    c = c.next().observe(Map.of(), T0.plus(Duration.ofSeconds(570)), TEN_MINUTES);
    assertThat(c.next().since()).isEmpty();
    c = c.next().observe(gpu, T0.plus(Duration.ofMinutes(10)), TEN_MINUTES);
    assertThat(c.expired()).isEmpty();
    c = c.next().observe(gpu, T0.plus(Duration.ofMinutes(20)), TEN_MINUTES);
    assertThat(c.expired()).singleElement().satisfies(x -> {
      assertThat(x.job()).isEqualTo(7L);
      assertThat(x.reason()).isEqualTo("no agent could take it for 10m: waiting for an agent offering gpu; online: local [linux]");
    });
    assertThat(c.next().since()).isEmpty(); // told once
  }

  @Test
  void theCandidateFailsWithTheReasonItsAuthorsAndTheAdminsAreTold() {
    Sim sim = new Sim(8);
    long p1 = sim.submit("review/a", "c1");
    long p2 = sim.submit("review/b", "c2");
    sim.build("m0").prepare("local", GPU);
    Job unit = Scheduler.pick(sim.state, "local", Set.of("linux")).orElseThrow();
    sim.apply(new Event.JobAssigned(unit.id(), "local"));
    long train = Scheduler.whyWaiting(sim.state, Map.of("local", Set.of("linux"))).keySet().iterator().next();
    sim.apply(new Event.RunUnschedulable(train, "no agent could take it for 10m: waiting for an agent offering gpu; online: local [linux]"));
    String why = "step 'train' could not be scheduled: no agent could take it for 10m: waiting for an agent offering gpu; online: local [linux]";
    assertThat(sim.stateOf(p1)).isEqualTo(PatchState.REJECTED);
    assertThat(sim.stateOf(p2)).isEqualTo(PatchState.REJECTED);
    assertThat(sim.state.patch(p1).orElseThrow().reason()).isEqualTo(why);
    assertThat(sim.lastEffects(Effect.CancelJob.class)).singleElement().satisfies(c -> assertThat(c.job()).isEqualTo(unit.id()));
    assertThat(sim.lastEffects(Effect.Notify.class)).extracting(Effect.Notify::outcome)
        .containsExactly(Effect.Outcome.REJECTED, Effect.Outcome.REJECTED, Effect.Outcome.UNSCHEDULABLE);
    assertThat(sim.lastEffects(Effect.Notify.class).get(2).detail()).isEqualTo(why);
    assertThat(sim.state.active()).isNull();
    assertThat(sim.state.paused()).isFalse();
    // the next patch gets its own chance
    long p3 = sim.submit("review/c", "c3");
    assertThat(sim.state.active().patches()).containsExactly(p3);
  }

  @Test
  void aStaleReportChangesNothingAndAProbeThatFindsNoAgentEndsTheBisection() {
    Sim sim = new Sim(8);
    long p1 = sim.submit("review/a", "c1");
    long p2 = sim.submit("review/b", "c2");
    sim.build("m0").prepare("local", GPU);
    sim.apply(new Event.RunUnschedulable(9999, "nobody"));
    assertThat(sim.last).isEmpty();
    Job unit = Scheduler.pick(sim.state, "local", Set.of("linux")).orElseThrow();
    sim.apply(new Event.JobAssigned(unit.id(), "local"));
    sim.apply(new Event.RunUnschedulable(unit.id(), "running already")); // only a waiting run can expire
    assertThat(sim.last).isEmpty();
    sim.apply(new Event.JobFinished(unit.id(), false, "exit 1"));
    assertThat(sim.state.bisection()).isNotNull();
    sim.build("m0"); // the probe waits for an agent to prepare it, and none is online
    long prepare = Scheduler.whyWaiting(sim.state, Map.of()).keySet().iterator().next();
    sim.apply(new Event.RunUnschedulable(prepare, "no agent could take it for 10m: waiting for an agent; no agent is online"));
    assertThat(sim.stateOf(p1)).isEqualTo(PatchState.REJECTED);
    assertThat(sim.stateOf(p2)).isEqualTo(PatchState.REJECTED);
    assertThat(sim.state.patch(p2).orElseThrow().reason()).startsWith("prepare could not be scheduled: ");
    assertThat(sim.state.bisection()).isNull();
    assertThat(sim.state.active()).isNull();
  }
}

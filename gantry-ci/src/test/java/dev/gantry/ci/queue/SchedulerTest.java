package dev.gantry.ci.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.pipeline.StepGraph;
import dev.gantry.ci.pipeline.StepSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  @Test
  void capabilitiesPriorityAndDependenciesDecideTheNextRun() {
    StepGraph g = StepGraph.of(List.of(
        StepSpec.shell("deps", "d"),
        StepSpec.shell("ui", "u", "deps").withRequires(Set.of("chromium")).withSameAgent(false),
        StepSpec.shell("docs", "x").withPriority(5),
        StepSpec.shell("unit", "t", "deps")));
    Sim sim = new Sim(8);
    sim.submit("review", "c");
    sim.build("m").prepare("a", g);
    assertThat(Scheduler.pick(sim.state, "a", Set.of())).hasValueSatisfying(j -> assertThat(j.step()).isEqualTo("docs"));
    Job docs = Scheduler.pick(sim.state, "a", Set.of()).orElseThrow();
    sim.apply(new Event.JobAssigned(docs.id(), "a"));
    Job deps = Scheduler.pick(sim.state, "a", Set.of()).orElseThrow();
    assertThat(deps.step()).isEqualTo("deps");
    sim.apply(new Event.JobAssigned(deps.id(), "a"));
    assertThat(Scheduler.pick(sim.state, "b", Set.of("chromium"))).isEmpty(); // ui waits for deps
    sim.apply(new Event.JobFinished(deps.id(), true, ""));
    assertThat(Scheduler.pick(sim.state, "b", Set.of("chromium"))).hasValueSatisfying(j -> assertThat(j.step()).isEqualTo("ui"));
    assertThat(Scheduler.pick(sim.state, "b", Set.of())).isEmpty(); // unit belongs with deps on a
    assertThat(Scheduler.pick(sim.state, "a", Set.of())).hasValueSatisfying(j -> assertThat(j.step()).isEqualTo("unit"));
  }

  @Test
  void aGroupStartsOnlyOnAnAgentThatCanRunAllOfIt() {
    StepGraph g = StepGraph.of(List.of(StepSpec.shell("build", "b"), StepSpec.shell("image", "i", "build").withRequires(Set.of("docker"))));
    Sim sim = new Sim(8);
    sim.submit("review", "c");
    sim.build("m").prepare("a", g);
    assertThat(Scheduler.pick(sim.state, "plain", Set.of("linux"))).isEmpty();
    assertThat(Scheduler.pick(sim.state, "dock", Set.of("linux", "docker"))).isPresent();
  }

  @Test
  void aRunNoOnlineAgentCanTakeSaysWhyAtOnce() {
    StepGraph g = StepGraph.of(List.of(
        StepSpec.shell("train", "t").withRequires(Set.of("gpu")).withSameAgent(false),
        StepSpec.shell("unit", "u"),
        StepSpec.shell("report", "r", "unit").withSameAgent(false)));
    Sim sim = new Sim(8);
    sim.submit("review", "c");
    assertThat(Scheduler.whyWaiting(sim.state, Map.of())).isEmpty(); // nothing to run yet
    sim.build("m");
    assertThat(Scheduler.whyWaiting(sim.state, Map.of())).containsValue("waiting for an agent; no agent is online");
    sim.prepare("local", g);

    Map<Long, String> why = Scheduler.whyWaiting(sim.state, Map.of("local", Set.of("linux"), "mac", Set.of("macos")));

    assertThat(why).hasSize(1).containsValue("waiting for an agent offering gpu; online: local [linux], mac [macos]");
    long train = why.keySet().iterator().next();
    assertThat(sim.state.jobs().get(train).step()).isEqualTo("train");
    // report waits for unit, which any agent can run: no reason to give
    assertThat(Scheduler.whyWaiting(sim.state, Map.of("gpu-box", Set.of("gpu")))).isEmpty();
  }
}

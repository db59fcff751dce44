package dev.gantry.ci.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.pipeline.StepGraph;
import dev.gantry.ci.pipeline.StepSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Speculative candidates: the queue's prefixes tested at once, within a window that adapts. */
class SpeculationTest {
  static final StepGraph ONE_STEP = StepGraph.of(List.of(StepSpec.shell("test", "make test")));

  /** A queue with a verified master m0 and {@code slots} agent slots online. */
  static Sim verified(int slots) {
    Sim sim = new Sim(8);
    sim.submit("review", "m0");
    QueueEngineTest.cycle(sim, "m0", j -> false);
    sim.apply(new Event.MergeSucceeded(sim.state.active().id(), "m0"));
    sim.apply(new Event.AgentSlots(slots));
    return sim;
  }

  /** Reports every candidate that is being built as built: its commit is its base plus its patches' commits. */
  static void buildAll(Sim sim) {
    while (true) {
      var building = sim.state.candidates().stream().filter(c -> c.status() == CandidateStatus.BUILDING).findFirst();
      if (building.isEmpty()) {
        return;
      }
      Candidate c = building.get();
      String base = c.base() != null ? c.base() : sim.state.master();
      String commit = base + "+" + String.join("+", c.patches().stream().map(id -> sim.state.patches().get(id).commit()).toList());
      sim.apply(new Event.CandidateBuilt(c.id(), base, commit));
    }
  }

  /** Runs candidate {@code candidate}'s open runs to their end (those not assigned yet on {@code agent}): prepare, then its step, which passes or fails. */
  static void run(Sim sim, long candidate, String agent, boolean passes) {
    while (true) {
      var open = sim.state.jobsOf(candidate).values().stream().filter(j -> !j.status().finished()).findFirst();
      if (open.isEmpty()) {
        return;
      }
      Job j = open.get();
      if (j.status() == JobStatus.PENDING) {
        sim.apply(new Event.JobAssigned(j.id(), agent));
      }
      sim.apply(j.prepare() ? new Event.PrepareSucceeded(j.id(), ONE_STEP) : new Event.JobFinished(j.id(), passes, passes ? "exit 0" : "exit 1"));
    }
  }

  /** Three patches pushed one after the other with three slots: three candidates, built. */
  static long[] threeBuilt(Sim sim) {
    long[] ids = {sim.submit("review/a", "a"), sim.submit("review/b", "b"), sim.submit("review/c", "c")};
    buildAll(sim);
    return ids;
  }

  static List<List<Long>> candidatePatches(Sim sim) {
    return sim.state.candidates().stream().map(Candidate::patches).toList();
  }

  @Test
  void threeSlotsAndThreeQueuedPatchesTestThreePrefixesAtOnceAndMergeThemInOrder() {
    Sim sim = verified(3);
    sim.apply(new Event.Paused("hold"));
    long p1 = sim.submit("review/a", "a");
    long p2 = sim.submit("review/b", "b");
    long p3 = sim.submit("review/c", "c");
    int before = sim.effects.size();
    sim.apply(new Event.Resumed());
    assertThat(candidatePatches(sim)).containsExactly(List.of(p1), List.of(p2), List.of(p3));
    buildAll(sim);
    // built in order, each on the commit of the one ahead: master+p1, master+p1+p2, master+p1+p2+p3
    var builds = sim.effects.subList(before, sim.effects.size()).stream().filter(Effect.BuildCandidate.class::isInstance)
        .map(Effect.BuildCandidate.class::cast).toList();
    assertThat(builds).extracting(Effect.BuildCandidate::base).containsExactly(null, "m0+a", "m0+a+b");
    assertThat(sim.state.candidates()).extracting(Candidate::commit).containsExactly("m0+a", "m0+a+b", "m0+a+b+c");
    // three agents each get a different candidate's run
    var picked = new java.util.HashSet<Long>();
    for (String agent : List.of("a1", "a2", "a3")) {
      Job j = Scheduler.pick(sim.state, agent, java.util.Set.of()).orElseThrow();
      sim.apply(new Event.JobAssigned(j.id(), agent));
      picked.add(j.candidate());
    }
    assertThat(picked).hasSize(3);
    // the last one passes first: it waits for the ones ahead
    long last = sim.state.followers().get(1).id();
    run(sim, last, "a3", true);
    assertThat(sim.state.followers().get(1).status()).isEqualTo(CandidateStatus.PASSED);
    assertThat(sim.lastEffects(Effect.Merge.class)).isEmpty();
    run(sim, sim.state.followers().get(0).id(), "a2", true);
    run(sim, sim.state.active().id(), "a1", true);
    for (String master : List.of("m0+a", "m0+a+b", "m0+a+b+c")) {
      Effect.Merge m = sim.lastEffects(Effect.Merge.class).get(0);
      assertThat(m.commit()).isEqualTo(master);
      sim.apply(new Event.MergeSucceeded(m.candidate(), master));
    }
    assertThat(List.of(p1, p2, p3)).allSatisfy(p -> assertThat(sim.stateOf(p)).isEqualTo(PatchState.MERGED));
    assertThat(sim.state.candidates()).isEmpty();
    assertThat(sim.state.jobs()).isEmpty();
  }

  @Test
  void aNewPatchStartsAFollowerInsteadOfRestartingTheRunningCandidate() {
    Sim sim = verified(2);
    long p1 = sim.submit("review/a", "a");
    buildAll(sim);
    Job prepare = Scheduler.pick(sim.state, "a1", java.util.Set.of()).orElseThrow();
    sim.apply(new Event.JobAssigned(prepare.id(), "a1"));
    long p2 = sim.submit("review/b", "b");
    assertThat(sim.lastEffects(Effect.CancelJob.class)).isEmpty();
    assertThat(sim.state.active().patches()).containsExactly(p1);
    assertThat(sim.lastEffects(Effect.BuildCandidate.class)).singleElement().satisfies(b -> {
      assertThat(b.base()).isEqualTo("m0+a");
      assertThat(b.patches()).extracting(Effect.PatchRef::id).containsExactly(p2);
    });
    // the window is full: the next one waits rather than restarting anything
    long p3 = sim.submit("review/c", "c");
    assertThat(sim.last).isEmpty();
    assertThat(sim.stateOf(p3)).isEqualTo(PatchState.QUEUED);
    assertThat(candidatePatches(sim)).containsExactly(List.of(p1), List.of(p2));
  }

  @Test
  void whenTheHeadFailsItsFollowersAreDiscardedAndItIsBisected() {
    Sim sim = verified(3);
    long[] p = threeBuilt(sim);
    run(sim, sim.state.followers().get(0).id(), "a2", true);
    Job running = sim.state.jobsOf(sim.state.followers().get(1).id()).values().iterator().next();
    sim.apply(new Event.JobAssigned(running.id(), "a3"));
    run(sim, sim.state.active().id(), "a1", false);
    // the followers contained p[0]: gone, their running work cancelled
    assertThat(sim.effects(Effect.CancelJob.class)).extracting(Effect.CancelJob::job).contains(running.id());
    assertThat(sim.stateOf(p[0])).isEqualTo(PatchState.REJECTED);
    assertThat(sim.state.patch(p[0]).orElseThrow().reason()).contains("breaks step 'test'");
    assertThat(sim.state.patch(p[0]).orElseThrow().trail()).isNotEmpty();
    // the window halved (3 -> 1): the others are tested together again, from master
    assertThat(sim.engine.window(sim.state)).isEqualTo(1);
    assertThat(candidatePatches(sim)).containsExactly(List.of(p[1], p[2]));
    assertThat(sim.lastEffects(Effect.BuildCandidate.class)).singleElement().satisfies(b -> assertThat(b.base()).isNull());
  }

  @Test
  void aFollowerThatFailsIsBisectedOnTheMergedHeadAndOnlyItsOwnPatchIsRejected() {
    Sim sim = verified(3);
    long[] p = threeBuilt(sim);
    run(sim, sim.state.followers().get(0).id(), "a2", false);
    // the one behind contained p[1]: requeued, and nothing new starts behind a failed follower
    assertThat(candidatePatches(sim)).containsExactly(List.of(p[0]), List.of(p[1]));
    assertThat(sim.state.followers().get(0).status()).isEqualTo(CandidateStatus.FAILED);
    assertThat(sim.stateOf(p[2])).isEqualTo(PatchState.QUEUED);
    run(sim, sim.state.active().id(), "a1", true);
    Effect.Merge m = sim.lastEffects(Effect.Merge.class).get(0);
    sim.apply(new Event.MergeSucceeded(m.candidate(), "m0+a"));
    assertThat(sim.stateOf(p[0])).isEqualTo(PatchState.MERGED);
    // on the verified master m0+a, p[1] alone failed: it is the culprit
    assertThat(sim.stateOf(p[1])).isEqualTo(PatchState.REJECTED);
    assertThat(sim.state.patch(p[1]).orElseThrow().reason()).contains("breaks step 'test'");
    assertThat(candidatePatches(sim)).containsExactly(List.of(p[2]));
  }

  @Test
  void aFollowerFailingBehindAHeadThatFailsIsDroppedWithTheOthers() {
    Sim sim = verified(2);
    long p1 = sim.submit("review/a", "a");
    long p2 = sim.submit("review/b", "b");
    buildAll(sim);
    run(sim, sim.state.followers().get(0).id(), "a2", false);
    run(sim, sim.state.active().id(), "a1", false);
    assertThat(sim.stateOf(p1)).isEqualTo(PatchState.REJECTED);
    assertThat(sim.stateOf(p2)).isEqualTo(PatchState.TESTING);
    assertThat(candidatePatches(sim)).containsExactly(List.of(p2));
  }

  @Test
  void withOneSlotANewPatchJoinsTheCandidateAsBefore() {
    Sim sim = verified(1);
    long p1 = sim.submit("review/a", "a");
    buildAll(sim);
    long p2 = sim.submit("review/b", "b");
    assertThat(sim.state.followers()).isEmpty();
    assertThat(sim.state.active().patches()).containsExactly(p1, p2);
    assertThat(sim.lastEffects(Effect.BuildCandidate.class)).singleElement().satisfies(b -> assertThat(b.base()).isNull());
  }

  @Test
  void theWindowHalvesWhenACandidateFailsAndGrowsByOneWithEachMerge() {
    Sim sim = verified(4);
    assertThat(sim.engine.window(sim.state)).isEqualTo(4);
    sim.submit("review/a", "a");
    sim.submit("review/b", "b");
    buildAll(sim);
    run(sim, sim.state.active().id(), "a1", false);
    assertThat(sim.engine.window(sim.state)).isEqualTo(2);
    buildAll(sim);
    run(sim, sim.state.active().id(), "a1", true);
    sim.apply(new Event.MergeSucceeded(sim.state.active().id(), sim.state.active().commit()));
    assertThat(sim.engine.window(sim.state)).isEqualTo(3);
    // never above the online slots, nor below one
    sim.apply(new Event.AgentSlots(1));
    assertThat(sim.engine.window(sim.state)).isEqualTo(1);
    sim.apply(new Event.AgentSlots(0));
    assertThat(sim.engine.window(sim.state)).isEqualTo(1);
  }

  @Test
  void theWindowStaysWithinItsUpperBound() {
    Sim sim = new Sim(8, 2);
    sim.apply(new Event.AgentSlots(5));
    long p1 = sim.submit("review/a", "a");
    long p2 = sim.submit("review/b", "b");
    long p3 = sim.submit("review/c", "c");
    assertThat(sim.engine.window(sim.state)).isEqualTo(2);
    assertThat(candidatePatches(sim)).containsExactly(List.of(p1), List.of(p2));
    assertThat(sim.stateOf(p3)).isEqualTo(PatchState.QUEUED);
  }

  @Test
  void aNewerPushOfAFollowersBranchDiscardsThatFollowerAndThoseBehindIt() {
    Sim sim = verified(3);
    long[] p = threeBuilt(sim);
    long p2b = sim.submit("review/b", "b2");
    assertThat(sim.stateOf(p[1])).isEqualTo(PatchState.SUPERSEDED);
    assertThat(sim.state.active().patches()).containsExactly(p[0]);
    assertThat(candidatePatches(sim)).containsExactly(List.of(p[0]), List.of(p[2]), List.of(p2b));
    sim.apply(new Event.Removed(p[2]));
    assertThat(candidatePatches(sim)).containsExactly(List.of(p[0]), List.of(p2b));
  }

  @Test
  void noSpeculationBehindAHotfixOrWhilePaused() {
    Sim sim = verified(3);
    long h = sim.submit("review/hotfix/x", "h");
    sim.submit("review/a", "a");
    assertThat(candidatePatches(sim)).containsExactly(List.of(h));
    buildAll(sim);
    run(sim, sim.state.active().id(), "a1", true);
    sim.apply(new Event.Paused("hold"));
    sim.apply(new Event.MergeSucceeded(sim.state.active().id(), sim.state.active().commit()));
    assertThat(sim.state.candidates()).isEmpty();
  }

  @Test
  void anUnschedulableRunOfAFollowerRejectsOnlyThatFollowersPatches() {
    Sim sim = verified(3);
    long[] p = threeBuilt(sim);
    Job prepare = sim.state.jobsOf(sim.state.followers().get(0).id()).values().iterator().next();
    sim.apply(new Event.RunUnschedulable(prepare.id(), "waiting for an agent offering gpu; online: a1 [linux]"));
    assertThat(sim.stateOf(p[1])).isEqualTo(PatchState.REJECTED);
    assertThat(sim.stateOf(p[0])).isEqualTo(PatchState.TESTING);
    assertThat(candidatePatches(sim)).containsExactly(List.of(p[0]), List.of(p[2]));
  }

  @Test
  void afterARestartTheBuildsInFlightAreIssuedAgain() {
    Sim sim = verified(3);
    sim.submit("review/a", "a");
    sim.submit("review/b", "b");
    sim.apply(new Event.CandidateBuilt(sim.state.active().id(), "m0", "m0+a"));
    assertThat(sim.engine.resume(sim.state)).singleElement().isInstanceOfSatisfying(Effect.BuildCandidate.class,
        b -> assertThat(b.base()).isEqualTo("m0+a"));
  }
}

package dev.gantry.ci.queue;

import static dev.gantry.ci.queue.QueueEngineTest.cycle;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The priority lane: urgent patches go first, alone, and are how a broken master is repaired. */
class PriorityLaneTest {

  @Test
  void aHotfixDisplacesTheRunningBatchIsTestedAloneAndTheBatchFollows() {
    Sim sim = new Sim(8);
    long p1 = sim.submit("review/a", "c1");
    long p2 = sim.submit("review/b", "c2");
    sim.build("m0").prepare("a1", QueueEngineTest.PIPELINE);
    Job running = Scheduler.pick(sim.state, "a1", java.util.Set.of("linux")).orElseThrow();
    sim.apply(new Event.JobAssigned(running.id(), "a1"));
    long hotfix = sim.submit("review/hotfix/login", "h1");
    assertThat(sim.lastEffects(Effect.CancelJob.class)).singleElement().satisfies(c -> assertThat(c.job()).isEqualTo(running.id()));
    assertThat(sim.lastEffects(Effect.BuildCandidate.class)).singleElement()
        .satisfies(b -> assertThat(b.patches()).extracting(Effect.PatchRef::id).containsExactly(hotfix));
    assertThat(sim.state.patch(hotfix).orElseThrow().urgent()).isTrue();
    assertThat(sim.state.activeIsUrgent()).isTrue();
    assertThat(sim.stateOf(p1)).isEqualTo(PatchState.QUEUED);
    // an ordinary push waits; it does not join the hotfix's candidate
    long p3 = sim.submit("review/c", "c3");
    assertThat(sim.state.active().patches()).containsExactly(hotfix);
    cycle(sim, "m0", j -> false);
    Effect.Merge merge = sim.lastEffects(Effect.Merge.class).get(0);
    assertThat(merge.patches()).extracting(Effect.PatchRef::id).containsExactly(hotfix);
    sim.apply(new Event.MergeSucceeded(merge.candidate(), "m0+h1"));
    assertThat(sim.stateOf(hotfix)).isEqualTo(PatchState.MERGED);
    assertThat(sim.state.active().patches()).containsExactly(p1, p2, p3);
  }

  @Test
  void aSecondHotfixWaitsForTheFirstAndOrdinaryPatchesWaitForBoth() {
    Sim sim = new Sim(8);
    long h1 = sim.submit("review/hotfix/one", "h1");
    long p = sim.submit("review/a", "c1");
    long h2 = sim.submit("review/hotfix/two", "h2");
    assertThat(sim.state.active().patches()).containsExactly(h1);
    cycle(sim, "m0", j -> false);
    sim.apply(new Event.MergeSucceeded(sim.state.active().id(), "m1"));
    assertThat(sim.state.active().patches()).containsExactly(h2);
    cycle(sim, "m1", j -> false);
    sim.apply(new Event.MergeSucceeded(sim.state.active().id(), "m2"));
    assertThat(sim.state.active().patches()).containsExactly(p);
  }

  @Test
  void aCandidateBeingMergedIsNotDisplaced() {
    Sim sim = new Sim(8);
    long p = sim.submit("review/a", "c1");
    cycle(sim, "m0", j -> false);
    long merging = sim.state.active().id();
    long h = sim.submit("review/hotfix/x", "h1");
    assertThat(sim.state.active().id()).isEqualTo(merging);
    assertThat(sim.lastEffects(Effect.CancelJob.class)).isEmpty();
    sim.apply(new Event.MergeSucceeded(merging, "m1"));
    assertThat(sim.stateOf(p)).isEqualTo(PatchState.MERGED);
    assertThat(sim.state.active().patches()).containsExactly(h);
  }

  @Test
  void submittedAsUrgentTakesTheLaneAndAQueuedPatchCanBePromoted() {
    Sim sim = new Sim(8);
    long p1 = sim.submit("review/a", "c1");
    sim.apply(new Event.PatchSubmitted("review/fix", "f1", "Ann <ann@example.com>", "fix", true));
    long fix = sim.state.patches().lastKey();
    assertThat(sim.state.active().patches()).containsExactly(fix);
    assertThat(sim.stateOf(p1)).isEqualTo(PatchState.QUEUED);
    long p2 = sim.submit("review/b", "c2");
    sim.apply(new Event.PatchSubmitted("review/b", "c2", "Ann <ann@example.com>", "again", true));
    assertThat(sim.state.patches()).hasSize(3); // promoted, not queued twice
    assertThat(sim.state.patch(p2).orElseThrow().urgent()).isTrue();
    cycle(sim, "m0", j -> false);
    sim.apply(new Event.MergeSucceeded(sim.state.active().id(), "m1"));
    assertThat(sim.state.active().patches()).containsExactly(p2);
  }

  @Test
  void aHotfixRepairsABrokenMasterThroughTheGateAndLiftsThePause() {
    Sim sim = new Sim(8);
    long p = sim.submit("review/a", "c1");
    cycle(sim, "m0", j -> j.step().equals("test"));
    cycle(sim, "m0", j -> j.step().equals("test")); // master alone fails too
    assertThat(sim.state.paused()).isTrue();
    assertThat(sim.state.masterBroken()).isTrue();
    assertThat(sim.state.pauseReason()).contains("review/hotfix/<name>");
    assertThat(sim.state.active()).isNull();
    long fix = sim.submit("review/hotfix/repair", "h1");
    assertThat(sim.state.active().patches()).containsExactly(fix); // runs although the queue is paused
    cycle(sim, "m0", j -> false);
    sim.apply(new Event.MergeSucceeded(sim.state.active().id(), "m0+h1"));
    assertThat(sim.state.paused()).isFalse();
    assertThat(sim.state.active().patches()).containsExactly(p);
  }

  @Test
  void aFailingHotfixIsRejectedWithoutBisectionAndAnAdminPauseStays() {
    Sim sim = new Sim(8);
    sim.apply(new Event.Paused("maintenance"));
    long fix = sim.submit("review/hotfix/repair", "h1");
    cycle(sim, "m0", j -> j.step().equals("lint"));
    assertThat(sim.stateOf(fix)).isEqualTo(PatchState.REJECTED);
    assertThat(sim.state.patch(fix).orElseThrow().reason()).contains("fails step 'lint'").contains("tested alone");
    assertThat(sim.state.bisection()).isNull();
    assertThat(sim.state.active()).isNull();
    assertThat(sim.state.pauseReason()).isEqualTo("maintenance");
    long fix2 = sim.submit("review/hotfix/again", "h2");
    cycle(sim, "m0", j -> false);
    sim.apply(new Event.MergeSucceeded(sim.state.active().id(), "m1"));
    assertThat(sim.stateOf(fix2)).isEqualTo(PatchState.MERGED);
    assertThat(sim.state.paused()).isTrue(); // only master's own failure is lifted by a hotfix
  }

  @Test
  void onlyBranchesUnderReviewHotfixAreHotfixes() {
    assertThat(Patch.isHotfixBranch("review/hotfix/x")).isTrue();
    assertThat(Patch.isHotfixBranch("review/hotfix/")).isFalse();
    assertThat(Patch.isHotfixBranch("review/hotfixes")).isFalse();
    assertThat(Patch.isHotfixBranch("review")).isFalse();
  }
}

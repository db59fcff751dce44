package dev.gantry.ci.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.pipeline.StepGraph;
import dev.gantry.ci.pipeline.StepSpec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueueEngineTest {
  static final StepGraph PIPELINE = StepGraph.of(List.of(
      StepSpec.shell("compile", "make"),
      StepSpec.shell("test", "make test", "compile"),
      StepSpec.shell("lint", "make lint", "compile")));

  /** Builds, prepares and runs the active candidate to its end on agent a1. */
  static void cycle(Sim sim, String master, java.util.function.Predicate<Job> fails) {
    sim.build(master).prepare("a1", PIPELINE).runAll("a1", fails);
  }

  static boolean failsWhen(Sim sim, Job j, String step, long culprit) {
    return j.step().equals(step) && sim.state.active().patches().contains(culprit);
  }

  @Test
  void aPatchThatPassesEveryStepIsMergedAndAnnounced() {
    Sim sim = new Sim(8);
    long p = sim.submit("review", "c1");
    assertThat(sim.lastEffects(Effect.BuildCandidate.class)).singleElement()
        .satisfies(b -> assertThat(b.patches()).extracting(Effect.PatchRef::commit).containsExactly("c1"));
    assertThat(sim.stateOf(p)).isEqualTo(PatchState.TESTING);
    cycle(sim, "m0", j -> false);
    assertThat(sim.stateOf(p)).isEqualTo(PatchState.PLAUSIBLE);
    Effect.Merge merge = sim.lastEffects(Effect.Merge.class).get(0);
    assertThat(merge.commit()).isEqualTo("m0+c1");
    assertThat(merge.base()).isEqualTo("m0");
    assertThat(merge.runs()).hasSize(4); // prepare and the three steps
    sim.apply(new Event.MergeSucceeded(merge.candidate(), "m0+c1"));
    assertThat(sim.stateOf(p)).isEqualTo(PatchState.MERGED);
    assertThat(sim.state.verifiedMaster()).isEqualTo("m0+c1");
    assertThat(sim.state.active()).isNull();
    assertThat(sim.lastEffects(Effect.Notify.class)).singleElement()
        .satisfies(n -> assertThat(n.outcome()).isEqualTo(Effect.Outcome.MERGED));
    assertThat(sim.state.stepRuns()).isEqualTo(3);
  }

  @Test
  void aSecondMergeReportIsIgnored() {
    Sim sim = new Sim(8);
    sim.submit("review", "c1");
    cycle(sim, "m0", j -> false);
    long cand = sim.state.active().id();
    sim.apply(new Event.MergeSucceeded(cand, "m1"));
    sim.apply(new Event.MergeSucceeded(cand, "m1"));
    assertThat(sim.effects(Effect.Notify.class)).hasSize(1);
  }

  @Test
  void aRepeatedHookCallAddsNothing() {
    Sim sim = new Sim(8);
    sim.submit("review", "c1");
    sim.submit("review", "c1");
    assertThat(sim.state.patches()).hasSize(1);
    assertThat(sim.effects(Effect.BuildCandidate.class)).hasSize(1);
  }

  @Test
  void aNewPatchJoinsThePlausibleCandidateAndCancelsItsRuns() {
    Sim sim = new Sim(8);
    long p1 = sim.submit("review/a", "a1");
    sim.build("m0").prepare("ag", PIPELINE);
    Job compile = Scheduler.pick(sim.state, "ag", Set.of()).orElseThrow();
    sim.apply(new Event.JobAssigned(compile.id(), "ag"));
    long p2 = sim.submit("review/b", "b1");
    assertThat(sim.lastEffects(Effect.CancelJob.class)).singleElement().satisfies(c -> assertThat(c.job()).isEqualTo(compile.id()));
    assertThat(sim.state.active().patches()).containsExactly(p1, p2);
    assertThat(sim.state.active().status()).isEqualTo(CandidateStatus.BUILDING);
    // the cancelled run's late result changes nothing
    sim.apply(new Event.JobFinished(compile.id(), true, "exit 0"));
    assertThat(sim.state.jobs()).isEmpty();
  }

  @Test
  void batchSizeIsBounded() {
    Sim sim = new Sim(2);
    sim.submit("review/a", "a");
    sim.submit("review/b", "b");
    sim.submit("review/c", "c");
    assertThat(sim.state.active().patches()).hasSize(2);
    assertThat(sim.state.withState(PatchState.QUEUED)).hasSize(1);
  }

  /** Five steps; a bisection probe for 'test' runs only compile and test. */
  static final StepGraph WIDE = StepGraph.of(List.of(
      StepSpec.shell("compile", "make"),
      StepSpec.shell("test", "make test", "compile"),
      StepSpec.shell("lint", "make lint", "compile"),
      StepSpec.shell("docs", "make docs", "compile"),
      StepSpec.shell("package", "make dist", "compile")));

  static void cycleWide(Sim sim, String master, java.util.function.Predicate<Job> fails) {
    sim.build(master).prepare("a1", WIDE).runAll("a1", fails);
  }

  @Test
  void bisectionRejectsTheMiddlePatchAndRequeuesTheOthers() {
    Sim sim = new Sim(8);
    sim.submit("review", "m0"); // establishes a verified master
    cycle(sim, "m0", j -> false);
    sim.apply(new Event.MergeSucceeded(sim.state.active().id(), "m0"));
    long p1 = sim.submit("review/a", "a");
    long p2 = sim.submit("review/b", "b");
    long p3 = sim.submit("review/c", "c");
    assertThat(sim.state.active().patches()).containsExactly(p1, p2, p3);
    long runsBefore = sim.state.stepRuns();
    cycleWide(sim, "m0", j -> failsWhen(sim, j, "test", p2));
    // the full candidate failed: first probe is the prefix [p1], running compile + test only
    Candidate probe = sim.state.active();
    assertThat(probe.probe()).isTrue();
    assertThat(probe.patches()).containsExactly(p1);
    sim.build("m0").prepare("a1", WIDE);
    assertThat(sim.state.jobs().values()).extracting(Job::step).contains("compile", "test").doesNotContain("lint");
    sim.runAll("a1", j -> failsWhen(sim, j, "test", p2));
    // [p1] passed; next probe [p1, p2]
    assertThat(sim.state.active().patches()).containsExactly(p1, p2);
    cycleWide(sim, "m0", j -> failsWhen(sim, j, "test", p2));
    assertThat(sim.stateOf(p2)).isEqualTo(PatchState.REJECTED);
    Patch rejected = sim.state.patches().get(p2);
    assertThat(rejected.reason()).contains("breaks step 'test'");
    assertThat(rejected.trail()).extracting(TrailEntry::passed).containsExactly(false, true, false);
    assertThat(rejected.trail().get(0).describe()).contains("step 'test' failed");
    assertThat(sim.effects(Effect.Notify.class)).filteredOn(n -> n.outcome() == Effect.Outcome.REJECTED).singleElement()
        .satisfies(n -> {
          assertThat(n.step()).isEqualTo("test");
          assertThat(n.runId()).isPositive();
        });
    // the others are tested again together and merged
    assertThat(sim.state.active().patches()).containsExactly(p1, p3);
    cycleWide(sim, "m0", j -> failsWhen(sim, j, "test", p2));
    sim.apply(new Event.MergeSucceeded(sim.state.active().id(), "m0+a+c"));
    assertThat(sim.stateOf(p1)).isEqualTo(PatchState.MERGED);
    assertThat(sim.stateOf(p3)).isEqualTo(PatchState.MERGED);
    long runs = sim.state.stepRuns() - runsBefore;
    // full (compile, test fails, the rest cancelled) + probes 2 + 2 + final 5, against 3 x 5 alone
    assertThat(runs).isEqualTo(11).isLessThan(3 * WIDE.steps().size());
  }

  @Test
  void bisectionFindsTheFirstOfManyPatches() {
    Sim sim = new Sim(8);
    long first = -1;
    for (int i = 0; i < 8; i++) {
      long id = sim.submit("review/p" + i, "c" + i);
      if (i == 0) {
        first = id;
      }
    }
    long culprit = first;
    cycle(sim, "m0", j -> failsWhen(sim, j, "test", culprit));
    int probes = 0;
    while (sim.state.active() != null && sim.state.active().probe()) {
      probes++;
      cycle(sim, "m0", j -> failsWhen(sim, j, "test", culprit));
    }
    // log2(8) = 3 probes, plus master alone because m0 was never verified
    assertThat(probes).isEqualTo(4);
    assertThat(sim.stateOf(culprit)).isEqualTo(PatchState.REJECTED);
    assertThat(sim.state.live()).hasSize(7).allMatch(p -> p.state() == PatchState.TESTING);
  }

  @Test
  void aFailureOnMasterAloneBlamesNoPatchAndPausesTheQueue() {
    Sim sim = new Sim(8);
    long p = sim.submit("review", "c1");
    cycle(sim, "m0", j -> j.step().equals("test"));
    assertThat(sim.state.active().patches()).isEmpty(); // probing master alone
    cycle(sim, "m0", j -> j.step().equals("test"));
    assertThat(sim.stateOf(p)).isEqualTo(PatchState.QUEUED);
    assertThat(sim.state.paused()).isTrue();
    assertThat(sim.state.pauseReason()).contains("master (m0) fails step 'test'");
    assertThat(sim.effects(Effect.Notify.class)).singleElement()
        .satisfies(n -> assertThat(n.outcome()).isEqualTo(Effect.Outcome.STATE_FAILURE));
    sim.apply(new Event.Resumed());
    assertThat(sim.state.active().patches()).containsExactly(p);
  }

  @Test
  void aSinglePatchOnVerifiedMasterIsRejectedWithoutProbing() {
    Sim sim = new Sim(8);
    sim.submit("review", "c0");
    cycle(sim, "m0", j -> false);
    sim.apply(new Event.MergeSucceeded(sim.state.active().id(), "m1"));
    long p = sim.submit("review", "c1");
    int builds = sim.builds;
    cycle(sim, "m1", j -> j.step().equals("lint"));
    assertThat(sim.stateOf(p)).isEqualTo(PatchState.REJECTED);
    assertThat(sim.builds).isEqualTo(builds + 1);
  }

  @Test
  void aConflictRejectsThePatchNamingThePathsAndTheRestGoesOn() {
    Sim sim = new Sim(8);
    long p1 = sim.submit("review/a", "a");
    long p2 = sim.submit("review/b", "b");
    sim.apply(new Event.CandidateConflict(sim.state.active().id(), p2, List.of("src/Main.java", "README")));
    assertThat(sim.stateOf(p2)).isEqualTo(PatchState.REJECTED);
    assertThat(sim.state.patches().get(p2).reason()).contains("src/Main.java, README");
    assertThat(sim.state.active().patches()).containsExactly(p1);
    assertThat(sim.effects(Effect.Notify.class)).singleElement().satisfies(n -> assertThat(n.detail()).contains("README"));
  }

  @Test
  void aNewPushSupersedesTheQueuedPatchOfTheSameBranch() {
    Sim sim = new Sim(1);
    long a = sim.submit("review/a", "a1");
    long b = sim.submit("review/b", "b1");
    long b2 = sim.submit("review/b", "b2");
    assertThat(sim.stateOf(b)).isEqualTo(PatchState.SUPERSEDED);
    assertThat(sim.stateOf(b2)).isEqualTo(PatchState.QUEUED);
    assertThat(sim.stateOf(a)).isEqualTo(PatchState.TESTING);
    long a2 = sim.submit("review/a", "a2");
    assertThat(sim.stateOf(a)).isEqualTo(PatchState.SUPERSEDED);
    assertThat(sim.state.active().patches()).containsExactly(b2);
    assertThat(sim.stateOf(a2)).isEqualTo(PatchState.QUEUED);
  }

  @Test
  void aFlakyStepPassesOnRetry() {
    Sim sim = new Sim(8);
    StepGraph g = StepGraph.of(List.of(StepSpec.shell("it", "run").withRetries(1)));
    long p = sim.submit("review", "c1");
    sim.build("m0").prepare("a", g);
    Job first = Scheduler.pick(sim.state, "a", Set.of()).orElseThrow();
    sim.apply(new Event.JobAssigned(first.id(), "a")).apply(new Event.JobFinished(first.id(), false, "exit 1"));
    Job second = Scheduler.pick(sim.state, "a", Set.of()).orElseThrow();
    assertThat(second.attempt()).isEqualTo(2);
    sim.apply(new Event.JobAssigned(second.id(), "a")).apply(new Event.JobFinished(second.id(), true, "exit 0"));
    assertThat(sim.stateOf(p)).isEqualTo(PatchState.PLAUSIBLE);
    assertThat(sim.state.jobs().get(second.id()).message()).contains("flaky");
  }

  @Test
  void aLostAgentsRunsAreHandedOutAgainWithTheirGroup() {
    Sim sim = new Sim(8);
    sim.submit("review", "c1");
    sim.build("m0").prepare("a1", PIPELINE);
    Job compile = Scheduler.pick(sim.state, "a1", Set.of()).orElseThrow();
    sim.apply(new Event.JobAssigned(compile.id(), "a1")).apply(new Event.JobFinished(compile.id(), true, ""));
    // test and lint belong to compile's workspace: another agent may not take them
    assertThat(Scheduler.pick(sim.state, "a2", Set.of())).isEmpty();
    Job test = Scheduler.pick(sim.state, "a1", Set.of()).orElseThrow();
    sim.apply(new Event.JobAssigned(test.id(), "a1"));
    sim.apply(new Event.AgentLost("a1"));
    assertThat(sim.state.jobs().get(test.id()).status()).isEqualTo(JobStatus.LOST);
    // compile runs again, on a2, then the rest follows there
    Job again = Scheduler.pick(sim.state, "a2", Set.of()).orElseThrow();
    assertThat(again.step()).isEqualTo("compile");
    sim.runAll("a2", j -> false);
    assertThat(sim.state.active().status()).isEqualTo(CandidateStatus.MERGING);
    assertThat(sim.lastEffects(Effect.Merge.class)).hasSize(1);
    // a late report from the lost agent is ignored
    sim.apply(new Event.JobFinished(test.id(), false, "exit 1"));
    assertThat(sim.state.active().status()).isEqualTo(CandidateStatus.MERGING);
  }

  @Test
  void aLostPrepareIsHandedOutAgain() {
    Sim sim = new Sim(8);
    sim.submit("review", "c1");
    sim.build("m0");
    Job prep = Scheduler.pick(sim.state, "a1", Set.of()).orElseThrow();
    sim.apply(new Event.JobAssigned(prep.id(), "a1")).apply(new Event.AgentLost("a1"));
    assertThat(Scheduler.pick(sim.state, "a2", Set.of())).hasValueSatisfying(j -> assertThat(j.prepare()).isTrue());
  }

  @Test
  void masterMovedOutsideGantryRebuildsTheCandidate() {
    Sim sim = new Sim(8);
    long p = sim.submit("review", "c1");
    cycle(sim, "m0", j -> false);
    sim.apply(new Event.MergeRejected(sim.state.active().id(), "m9", "master moved"));
    assertThat(sim.state.master()).isEqualTo("m9");
    assertThat(sim.stateOf(p)).isEqualTo(PatchState.TESTING);
    assertThat(sim.lastEffects(Effect.BuildCandidate.class)).hasSize(1);
  }

  @Test
  void aPipelineThatDoesNotCompileRejectsTheSinglePatchWithTheCompilerMessage() {
    Sim sim = new Sim(8);
    sim.submit("review", "c0");
    cycle(sim, "m0", j -> false);
    sim.apply(new Event.MergeSucceeded(sim.state.active().id(), "m1"));
    long p = sim.submit("review", "c1");
    sim.build("m1");
    Job prep = Scheduler.pick(sim.state, "a", Set.of()).orElseThrow();
    sim.apply(new Event.JobAssigned(prep.id(), "a"));
    sim.apply(new Event.JobFinished(prep.id(), false, ".gantry/Pipeline.java:3:5: error: ';' expected"));
    assertThat(sim.stateOf(p)).isEqualTo(PatchState.REJECTED);
    assertThat(sim.effects(Effect.Notify.class)).last().satisfies(n -> assertThat(n.step()).isEqualTo("prepare"));
    assertThat(sim.state.patches().get(p).trail().get(0).note()).contains("';' expected");
  }

  @Test
  void pauseStopsNewCandidatesAndResumeStartsThem() {
    Sim sim = new Sim(8);
    sim.apply(new Event.Paused("release freeze"));
    long p = sim.submit("review", "c1");
    assertThat(sim.state.active()).isNull();
    assertThat(sim.state.pauseReason()).isEqualTo("release freeze");
    sim.apply(new Event.Resumed());
    assertThat(sim.stateOf(p)).isEqualTo(PatchState.TESTING);
  }

  @Test
  void removeTakesAPatchOutOfTheCandidateAndRetryPutsItBack() {
    Sim sim = new Sim(8);
    long a = sim.submit("review/a", "a");
    long b = sim.submit("review/b", "b");
    sim.apply(new Event.Removed(a));
    assertThat(sim.stateOf(a)).isEqualTo(PatchState.REMOVED);
    assertThat(sim.state.active().patches()).containsExactly(b);
    sim.apply(new Event.Retried(a));
    assertThat(sim.stateOf(a)).isEqualTo(PatchState.QUEUED);
  }

  @Test
  void aSkippedStepCountsAsPassed() {
    Sim sim = new Sim(8);
    long p = sim.submit("review", "c1");
    sim.build("m0").prepare("a", PIPELINE);
    long cand = sim.state.active().id();
    sim.apply(new Event.StepSkipped(cand, "lint"));
    sim.runAll("a", j -> false);
    assertThat(sim.stateOf(p)).isEqualTo(PatchState.PLAUSIBLE);
    assertThat(sim.state.jobs().values()).anyMatch(j -> j.status() == JobStatus.SKIPPED && j.step().equals("lint"));
  }

  @Test
  void resumeReissuesTheBuildOrTheMergeInFlight() {
    Sim sim = new Sim(8);
    sim.submit("review", "c1");
    assertThat(sim.engine.resume(sim.state)).singleElement().isInstanceOf(Effect.BuildCandidate.class);
    cycle(sim, "m0", j -> false);
    assertThat(sim.engine.resume(sim.state)).singleElement().isInstanceOf(Effect.Merge.class);
    sim.apply(new Event.MergeSucceeded(sim.state.active().id(), "m1"));
    assertThat(sim.engine.resume(sim.state)).isEmpty();
  }

  @Test
  void aBuildFailureWithoutCulpritPausesTheQueue() {
    Sim sim = new Sim(8);
    long p = sim.submit("review", "c1");
    sim.apply(new Event.CandidateBuildFailed(sim.state.active().id(), 0, "central repository unreachable"));
    assertThat(sim.state.paused()).isTrue();
    assertThat(sim.stateOf(p)).isEqualTo(PatchState.QUEUED);
  }

  @Test
  void closedPatchesArePrunedFromTheState() {
    Sim sim = new Sim(8);
    for (int i = 0; i < QueueEngine.KEEP_CLOSED + 20; i++) {
      long id = sim.submit("review/x" + i, "c" + i);
      sim.apply(new Event.Removed(id));
    }
    assertThat(sim.state.patches()).hasSize(QueueEngine.KEEP_CLOSED);
  }
}

package dev.gantry.ci.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A rejected patch of several commits: the first commit of its stack that fails the step is named. */
class StackSearchTest {
  /** Commits that carry the breakage: the second commit of the stack and every later one. */
  static final Set<String> BROKEN = Set.of("s2", "s3", "s4");

  /** The commits the active candidate is built from, as the engine asked for them. */
  static List<String> built(Sim sim) {
    long id = sim.state.active().id();
    return sim.effects(Effect.BuildCandidate.class).stream().filter(b -> b.candidate() == id).reduce((a, b) -> b).orElseThrow()
        .patches().stream().map(Effect.PatchRef::commit).toList();
  }

  static void cycle(Sim sim) {
    boolean broken = built(sim).stream().anyMatch(BROKEN::contains);
    QueueEngineTest.cycle(sim, "m0", j -> broken && j.step().equals("test"));
  }

  static Sim verifiedMaster() {
    Sim sim = new Sim(8);
    sim.submit("review", "m0");
    QueueEngineTest.cycle(sim, "m0", j -> false);
    sim.apply(new Event.MergeSucceeded(sim.state.active().id(), "m0"));
    return sim;
  }

  static long submitStack(Sim sim, String branch, List<String> stack) {
    sim.apply(new Event.PatchSubmitted(branch, stack.get(stack.size() - 1), "Ann <ann@example.com>", "a stack", false, stack));
    return sim.state.patches().lastKey();
  }

  @Test
  void theFirstFailingCommitOfTheCulpritsStackIsFoundByBisectionAndNamed() {
    Sim sim = verifiedMaster();
    long p1 = sim.submit("review/a", "a");
    long p2 = submitStack(sim, "review/stack", List.of("s1", "s2", "s3", "s4"));
    cycle(sim); // [a, s4] fails
    assertThat(built(sim)).containsExactly("a");
    cycle(sim); // [a] passes: p2 is the culprit; its stack is searched on top of a
    assertThat(sim.state.stackSearch()).isNotNull();
    assertThat(sim.state.active().probe()).isTrue();
    assertThat(built(sim)).containsExactly("a", "s2");
    cycle(sim); // s2 fails
    assertThat(built(sim)).containsExactly("a", "s1");
    cycle(sim); // s1 passes

    Patch rejected = sim.state.patches().get(p2);
    assertThat(rejected.state()).isEqualTo(PatchState.REJECTED);
    assertThat(rejected.reason()).isEqualTo("breaks step 'test' (found by bisection over 2 patches); the first of its 4 commits that fails it: s2 (commit 2)");
    assertThat(rejected.trail()).extracting(TrailEntry::passed).containsExactly(false, true, false, true);
    assertThat(rejected.trail().get(2).describe()).contains("#" + p2 + " at s2, commit 2 of its 4").contains("failed");
    assertThat(sim.effects(Effect.Notify.class)).filteredOn(n -> n.outcome() == Effect.Outcome.REJECTED).singleElement()
        .satisfies(n -> assertThat(n.detail()).contains("s2 (commit 2)"));
    assertThat(sim.state.stackSearch()).isNull();
    // the others go on as before
    assertThat(sim.state.active().patches()).containsExactly(p1);
    assertThat(sim.state.active().probe()).isFalse();
  }

  @Test
  void aStackBrokenFromItsFirstCommitNamesThatCommit() {
    Sim sim = verifiedMaster();
    long p = submitStack(sim, "review/stack", List.of("s2", "s3", "s4"));
    cycle(sim); // alone on a verified master: the culprit at once, then its stack, from the middle
    assertThat(built(sim)).containsExactly("s2");
    cycle(sim); // fails: nothing before it is left to test
    assertThat(sim.state.patches().get(p).reason()).endsWith("the first of its 3 commits that fails it: s2 (commit 1)");
    assertThat(sim.state.active()).isNull();
  }

  @Test
  void aPatchOfOneCommitIsRejectedWithoutSearchingAStack() {
    Sim sim = verifiedMaster();
    long p = sim.submit("review/one", "s2");
    int builds = sim.builds;
    cycle(sim);
    assertThat(sim.stateOf(p)).isEqualTo(PatchState.REJECTED);
    assertThat(sim.state.patches().get(p).reason()).isEqualTo("breaks step 'test'");
    assertThat(sim.builds).isEqualTo(builds + 1);
  }

  @Test
  void aRestartReissuesTheBuildOfAStackProbeAtItsCommit() {
    Sim sim = verifiedMaster();
    submitStack(sim, "review/stack", List.of("s1", "s2", "s3", "s4"));
    cycle(sim);
    assertThat(sim.engine.resume(sim.state)).singleElement().isInstanceOfSatisfying(Effect.BuildCandidate.class,
        b -> assertThat(b.patches()).extracting(Effect.PatchRef::commit).containsExactly("s2"));
  }

  @Test
  void aNewPushOfTheCulpritsBranchEndsTheSearchAndIsTestedInstead() {
    Sim sim = verifiedMaster();
    long old = submitStack(sim, "review/stack", List.of("s1", "s2", "s3", "s4"));
    cycle(sim);
    assertThat(sim.state.stackSearch()).isNotNull();
    long fixed = sim.submit("review/stack", "s5");
    assertThat(sim.stateOf(old)).isEqualTo(PatchState.SUPERSEDED);
    assertThat(sim.state.stackSearch()).isNull();
    assertThat(sim.state.active().patches()).containsExactly(fixed);
    assertThat(built(sim)).containsExactly("s5");
  }

  @Test
  void aStackProbeThatDoesNotMergeCountsAsFailing() {
    Sim sim = verifiedMaster();
    long p = submitStack(sim, "review/stack", List.of("s1", "s2", "s3", "s4"));
    cycle(sim);
    assertThat(built(sim)).containsExactly("s2");
    sim.apply(new Event.CandidateConflict(sim.state.active().id(), p, List.of("a.txt")));
    assertThat(built(sim)).containsExactly("s1");
    cycle(sim);
    assertThat(sim.state.patches().get(p).reason()).endsWith("fails it: s2 (commit 2)");
  }
}

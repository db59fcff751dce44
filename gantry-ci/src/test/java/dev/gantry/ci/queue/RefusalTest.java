package dev.gantry.ci.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The engine's answer to an admin's event it cannot apply: why, as data, and no change. */
class RefusalTest {

  /** Applies {@code e} and checks that the engine refused it as {@code expected}, telling the admin {@code message}, and changed nothing. */
  private static void assertRefused(Sim sim, Event e, Refusal expected, String message) {
    QueueState before = sim.state;
    sim.apply(e);
    assertThat(sim.refused).as("refusal of %s", e).contains(expected);
    assertThat(expected.message()).isEqualTo(message);
    assertThat(sim.state).isEqualTo(before);
    assertThat(sim.last).isEmpty();
  }

  @Test
  void removingOrRetryingAPatchTheQueueDoesNotHoldIsRefused() {
    Sim sim = new Sim(8);
    String message = "no patch #42 in the queue (closed patches older than the last 200 cannot be changed)";
    assertRefused(sim, new Event.Removed(42), new Refusal.NoSuchPatch(42), message);
    assertRefused(sim, new Event.Retried(42), new Refusal.NoSuchPatch(42), message);
  }

  @Test
  void removingAClosedPatchIsRefused() {
    Sim sim = new Sim(8);
    long p = sim.submit("review", "c1");
    sim.apply(new Event.Removed(p));
    assertThat(sim.refused).isEmpty();
    assertRefused(sim, new Event.Removed(p), new Refusal.AlreadyClosed(p, PatchState.REMOVED), "patch #" + p + " is already removed");
  }

  @Test
  void removingAPatchBeingMergedIsRefused() {
    Sim sim = new Sim(8);
    long p = sim.submit("review", "c1");
    QueueEngineTest.cycle(sim, "m0", j -> false);
    assertThat(sim.state.active().status()).isEqualTo(CandidateStatus.MERGING);
    assertRefused(sim, new Event.Removed(p), new Refusal.BeingMerged(p), "patch #" + p + " is being merged and cannot be removed any more");
    assertThat(sim.stateOf(p)).isEqualTo(PatchState.PLAUSIBLE);
  }

  @Test
  void retryingAPatchThatIsStillOpenIsRefused() {
    Sim sim = new Sim(8);
    long p = sim.submit("review", "c1");
    assertRefused(sim, new Event.Retried(p), new Refusal.NotRetriable(p, PatchState.TESTING),
        "patch #" + p + " is testing; only a rejected or removed patch can be retried");
  }

  @Test
  void retryingAPatchWhileANewerPushOfItsBranchIsOpenIsRefused() {
    Sim sim = new Sim(8);
    long old = sim.submit("review/a", "a1");
    sim.apply(new Event.Removed(old));
    long newer = sim.submit("review/a", "a2");
    assertRefused(sim, new Event.Retried(old), new Refusal.NewerPushQueued(old, "review/a"),
        "patch #" + old + " cannot be retried: a newer push of review/a is in the queue");
    assertThat(sim.stateOf(newer)).isEqualTo(PatchState.TESTING);
  }

  @Test
  void retryingARemovedPatchIsAccepted() {
    Sim sim = new Sim(8);
    long p = sim.submit("review", "c1");
    sim.apply(new Event.Removed(p)).apply(new Event.Retried(p));
    assertThat(sim.refused).isEmpty();
    assertThat(sim.stateOf(p)).isEqualTo(PatchState.TESTING);
  }

  @Test
  void skippingAStepTheActiveCandidateDoesNotHaveIsRefused() {
    Sim sim = new Sim(8);
    sim.submit("review", "c1");
    long cand = sim.state.active().id();
    // not prepared yet: the candidate has no steps
    assertRefused(sim, new Event.StepSkipped(cand, "lint"), new Refusal.NoSuchStep(cand, "lint"),
        "no step 'lint' is waiting or running on candidate " + cand);
    sim.build("m0").prepare("a1", QueueEngineTest.PIPELINE);
    assertRefused(sim, new Event.StepSkipped(cand, "deploy"), new Refusal.NoSuchStep(cand, "deploy"),
        "no step 'deploy' is waiting or running on candidate " + cand);
    assertRefused(sim, new Event.StepSkipped(cand + 1, "lint"), new Refusal.NoSuchStep(cand + 1, "lint"),
        "no step 'lint' is waiting or running on candidate " + (cand + 1));
  }

  @Test
  void skippingAStepThatAlreadyFinishedChangesNothingWithoutARefusal() {
    Sim sim = new Sim(8);
    sim.submit("review", "c1");
    sim.build("m0").prepare("a1", QueueEngineTest.PIPELINE);
    Job compile = Scheduler.pick(sim.state, "a1", Set.of()).orElseThrow();
    sim.apply(new Event.JobAssigned(compile.id(), "a1")).apply(new Event.JobFinished(compile.id(), true, "exit 0"));
    QueueState before = sim.state;
    sim.apply(new Event.StepSkipped(sim.state.active().id(), "compile"));
    assertThat(sim.refused).isEmpty();
    assertThat(sim.state).isEqualTo(before);
  }

  @Test
  void eventsThatAreNotAnAdminsAreNeverRefused() {
    Sim sim = new Sim(8);
    sim.apply(new Event.MergeSucceeded(99, "m1"));
    assertThat(sim.refused).isEmpty();
    sim.apply(new Event.Paused("freeze")).apply(new Event.Resumed());
    assertThat(sim.refused).isEmpty();
  }
}

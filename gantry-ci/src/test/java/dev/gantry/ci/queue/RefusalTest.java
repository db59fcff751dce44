package dev.gantry.ci.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The engine's answer to an admin's event it cannot apply: why, as data, and no change. */
class RefusalTest {

  /** Applies {@code e} and checks that the engine refused it without changing anything. */
  private static Refusal refused(Sim sim, Event e) {
    QueueState before = sim.state;
    sim.apply(e);
    assertThat(sim.state).isEqualTo(before);
    assertThat(sim.last).isEmpty();
    assertThat(sim.refused).as("refusal of %s", e).isPresent();
    return sim.refused.get();
  }

  @Test
  void removingOrRetryingAPatchTheQueueDoesNotHoldIsRefused() {
    Sim sim = new Sim(8);
    Refusal remove = refused(sim, new Event.Removed(42));
    assertThat(remove).isEqualTo(new Refusal.NoSuchPatch(42));
    assertThat(remove.message()).isEqualTo("no patch #42 in the queue (closed patches older than the last 200 cannot be changed)");
    assertThat(refused(sim, new Event.Retried(42))).isEqualTo(new Refusal.NoSuchPatch(42));
  }

  @Test
  void removingAClosedPatchIsRefused() {
    Sim sim = new Sim(8);
    long p = sim.submit("review", "c1");
    sim.apply(new Event.Removed(p));
    assertThat(sim.refused).isEmpty();
    Refusal r = refused(sim, new Event.Removed(p));
    assertThat(r).isEqualTo(new Refusal.AlreadyClosed(p, PatchState.REMOVED));
    assertThat(r.message()).isEqualTo("patch #" + p + " is already removed");
  }

  @Test
  void removingAPatchBeingMergedIsRefused() {
    Sim sim = new Sim(8);
    long p = sim.submit("review", "c1");
    QueueEngineTest.cycle(sim, "m0", j -> false);
    assertThat(sim.state.active().status()).isEqualTo(CandidateStatus.MERGING);
    Refusal r = refused(sim, new Event.Removed(p));
    assertThat(r).isEqualTo(new Refusal.BeingMerged(p));
    assertThat(r.message()).isEqualTo("patch #" + p + " is being merged and cannot be removed any more");
    assertThat(sim.stateOf(p)).isEqualTo(PatchState.PLAUSIBLE);
  }

  @Test
  void retryingAPatchThatIsStillOpenIsRefused() {
    Sim sim = new Sim(8);
    long p = sim.submit("review", "c1");
    Refusal r = refused(sim, new Event.Retried(p));
    assertThat(r).isEqualTo(new Refusal.NotRetriable(p, PatchState.TESTING));
    assertThat(r.message()).isEqualTo("patch #" + p + " is testing; only a rejected or removed patch can be retried");
  }

  @Test
  void retryingAPatchWhileANewerPushOfItsBranchIsOpenIsRefused() {
    Sim sim = new Sim(8);
    long old = sim.submit("review/a", "a1");
    sim.apply(new Event.Removed(old));
    long newer = sim.submit("review/a", "a2");
    Refusal r = refused(sim, new Event.Retried(old));
    assertThat(r).isEqualTo(new Refusal.NewerPushQueued(old, "review/a"));
    assertThat(r.message()).isEqualTo("patch #" + old + " cannot be retried: a newer push of review/a is in the queue");
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
    assertThat(refused(sim, new Event.StepSkipped(cand, "lint"))).isEqualTo(new Refusal.NoSuchStep(cand, "lint"));
    sim.build("m0").prepare("a1", QueueEngineTest.PIPELINE);
    Refusal unknown = refused(sim, new Event.StepSkipped(cand, "deploy"));
    assertThat(unknown.message()).isEqualTo("no step 'deploy' is waiting or running on candidate " + cand);
    assertThat(refused(sim, new Event.StepSkipped(cand + 1, "lint"))).isEqualTo(new Refusal.NoSuchStep(cand + 1, "lint"));
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

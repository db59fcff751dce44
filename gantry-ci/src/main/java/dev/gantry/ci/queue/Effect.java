package dev.gantry.ci.queue;

import java.util.List;

/** What the engine asks the outside world to do after a transition. */
public sealed interface Effect {

  /** A patch of a candidate, as the git layer needs it. */
  record PatchRef(long id, String branch, String commit) {}

  /**
   * Merge {@code patches} in order on {@code base} (the current master when null) and
   * report {@link Event.CandidateBuilt} or {@link Event.CandidateConflict}.
   */
  record BuildCandidate(long candidate, String base, List<PatchRef> patches) implements Effect {
    public BuildCandidate {
      patches = List.copyOf(patches);
    }
  }

  /** Tell {@code agent} to stop run {@code job} and kill its processes. */
  record CancelJob(long job, String agent) implements Effect {}

  /**
   * Fast-forward master from {@code base} to {@code commit}, add the notes, report
   * {@link Event.MergeSucceeded} (also when master already contains {@code commit}) or
   * {@link Event.MergeRejected}.
   */
  record Merge(long candidate, String base, String commit, List<PatchRef> patches, List<Long> runs) implements Effect {
    public Merge {
      patches = List.copyOf(patches);
      runs = List.copyOf(runs);
    }
  }

  /**
   * Tell people: a patch merged or was rejected, master itself fails a step, or a step found
   * no agent and failed its candidate (the admins: an agent is missing).
   */
  record Notify(Outcome outcome, Patch patch, String step, long runId, String detail) implements Effect {}

  enum Outcome {
    MERGED,
    REJECTED,
    STATE_FAILURE,
    UNSCHEDULABLE
  }
}

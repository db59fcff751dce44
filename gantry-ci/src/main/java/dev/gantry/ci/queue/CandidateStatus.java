package dev.gantry.ci.queue;

/**
 * The life of a candidate: built in the mirror, prepared by an agent, its steps run, merged.
 * A speculative candidate (a follower, behind the head of the queue) may also wait to be built
 * until the candidate ahead of it is ({@link #WAITING}), and, once its steps ended, wait for the
 * candidates ahead to merge ({@link #PASSED}) or to fail ({@link #FAILED}).
 */
public enum CandidateStatus {
  BUILDING,
  PREPARING,
  RUNNING,
  MERGING,
  /** A follower whose base (the commit of the candidate ahead) is not built yet. */
  WAITING,
  /** A follower on which every step passed, waiting for the candidates ahead to merge. */
  PASSED,
  /** A follower on which a step failed, waiting: bisected once the candidates ahead merged, dropped if one of them fails. */
  FAILED
}

package dev.gantry.ci.queue;

/** The life of a candidate: built in the mirror, prepared by an agent, its steps run, merged. */
public enum CandidateStatus {
  BUILDING,
  PREPARING,
  RUNNING,
  MERGING
}

package dev.gantry.ci.queue;

/** A run of a step (or of "prepare") on an agent. */
public enum JobStatus {
  PENDING,
  RUNNING,
  PASSED,
  FAILED,
  /** Stopped because the candidate was abandoned or another step failed. */
  CANCELLED,
  /** Its agent stopped heartbeating; a new run was queued. */
  LOST,
  /** An admin skipped it; counts as passed. */
  SKIPPED;

  public boolean finished() {
    return this != PENDING && this != RUNNING;
  }

  public boolean ok() {
    return this == PASSED || this == SKIPPED;
  }
}

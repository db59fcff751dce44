package dev.gantry.ci.queue;

/** Where a patch is in the queue; the last four are final. */
public enum PatchState {
  /** Waiting for a candidate. */
  QUEUED,
  /** Part of the candidate (or a bisection probe) being tested. */
  TESTING,
  /** Passed every step; being merged. */
  PLAUSIBLE,
  MERGED,
  REJECTED,
  /** A newer push of the same branch replaced it. */
  SUPERSEDED,
  /** Taken out by an admin. */
  REMOVED;

  public boolean terminal() {
    return this == MERGED || this == REJECTED || this == SUPERSEDED || this == REMOVED;
  }
}

package dev.gantry.ci.git;

/** What pushing a candidate to the central master gave. */
public sealed interface MergeOutcome {
  /** Master is now {@code master} and contains the candidate. */
  record Merged(String master, boolean alreadyThere) implements MergeOutcome {}

  /** Master moved to {@code master}, which the candidate does not build on. */
  record Moved(String master) implements MergeOutcome {}
}

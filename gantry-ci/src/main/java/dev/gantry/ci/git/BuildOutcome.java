package dev.gantry.ci.git;

import java.util.List;

/** What merging a candidate's patches in the mirror gave. */
public sealed interface BuildOutcome {
  /** The patches merged cleanly on {@code base} into {@code commit}. */
  record Built(String base, String commit) implements BuildOutcome {}

  /** Patch {@code patch} conflicts with what was merged before it. */
  record Conflict(long patch, List<String> paths) implements BuildOutcome {
    public Conflict {
      paths = List.copyOf(paths);
    }
  }

  /** The candidate cannot be built; {@code patch} is 0 when no single patch is to blame. */
  record Failed(long patch, String message) implements BuildOutcome {}
}

package dev.gantry.ci.queue;

import java.util.List;

/**
 * One line of a bisection trail: candidate {@code candidate} (master plus {@code patches})
 * passed or failed {@code step}, as run {@code runId} showed.
 */
public record TrailEntry(long candidate, List<Long> patches, String step, boolean passed, long runId, String note) {
  public TrailEntry {
    patches = List.copyOf(patches);
  }

  /** Reads like {@code "candidate 4 (master + #1 #2): step 'test' failed (run 17)"}. */
  public String describe() {
    String set = patches.isEmpty() ? "master alone" : "master + " + String.join(" ", patches.stream().map(p -> "#" + p).toList());
    return "candidate " + candidate + " (" + set + "): step '" + step + "' " + (passed ? "passed" : "failed")
        + (runId > 0 ? " (run " + runId + ")" : "") + (note.isEmpty() ? "" : " - " + note);
  }
}

package dev.gantry.ci.queue;

import java.util.ArrayList;
import java.util.List;

/**
 * The search for the patch that broke {@code step}. Prefixes of {@code patches} (merged on
 * {@code base}) of length {@code good} or less pass the step; prefixes of length {@code bad}
 * or more fail it. When {@code bad - good == 1}, patch {@code patches[bad-1]} is the culprit.
 *
 * @param baseVerified true when {@code base} alone is known to pass (prefix 0)
 */
public record Bisection(
    List<Long> patches, String base, String step, int good, int bad, boolean baseVerified, long failedRun, List<TrailEntry> trail) {

  public Bisection {
    patches = List.copyOf(patches);
    trail = List.copyOf(trail);
  }

  /** The next prefix length to test, or -1 when the culprit is known. */
  public int nextProbe() {
    if (bad - good > 1) {
      return (good + bad) / 2;
    }
    return good == 0 && !baseVerified ? 0 : -1;
  }

  Bisection record(int length, boolean passed, TrailEntry entry) {
    var t = new ArrayList<>(trail);
    t.add(entry);
    if (passed) {
      return new Bisection(patches, base, step, Math.max(good, length), bad, baseVerified || length == 0, failedRun, t);
    }
    return new Bisection(patches, base, step, good, Math.min(bad, length), baseVerified, failedRun, t);
  }
}

package dev.gantry.ci.queue;

import java.util.ArrayList;
import java.util.List;

/**
 * After bisection singled out {@code culprit}, a patch of several commits, the search over its
 * stack for the first commit that fails {@code step}: the culprit at {@code stack[k-1]} merged
 * on {@code base} after {@code ahead} passes for {@code k <= good} and fails for
 * {@code k >= bad}. Prefix 0 ({@code ahead} alone) is known to pass and the whole stack to fail,
 * so the search starts at {@code good = 0, bad = stack.size()}. What it finds is informational:
 * the patch is rejected whole, and its rejection names the commit.
 *
 * <pre>{@code
 * var s = new StackSearch(5, List.of(4L), List.of("a", "b", "c"), "m", "test", 0, 3, 17, List.of(), List.of(4L, 5L), "breaks step 'test'");
 * s.nextProbe(); // 1: the culprit at its first commit
 * }</pre>
 *
 * @param stack the culprit's commits that master does not have, oldest first (its tip last)
 * @param failedRun the run of the first failing candidate, quoted by the rejection
 * @param trail the bisection's trail, then the probes over the stack
 * @param requeue the patches of the failing candidate, queued again when the search ends
 * @param why the rejection's reason, to which the first failing commit is added
 */
public record StackSearch(
    long culprit, List<Long> ahead, List<String> stack, String base, String step, int good, int bad, long failedRun,
    List<TrailEntry> trail, List<Long> requeue, String why) {

  public StackSearch {
    ahead = List.copyOf(ahead);
    stack = List.copyOf(stack);
    trail = List.copyOf(trail);
    requeue = List.copyOf(requeue);
  }

  /** The number of the culprit's commits to test next, or -1 when the first failing one is known. */
  public int nextProbe() {
    return bad - good > 1 ? (good + bad) / 2 : -1;
  }

  /** The first commit of the stack that fails the step, once {@link #nextProbe()} is -1. */
  public String firstFailing() {
    return stack.get(bad - 1);
  }

  StackSearch record(int length, boolean passed, TrailEntry entry) {
    var t = new ArrayList<>(trail);
    t.add(entry);
    return passed
        ? new StackSearch(culprit, ahead, stack, base, step, Math.max(good, length), bad, failedRun, t, requeue, why)
        : new StackSearch(culprit, ahead, stack, base, step, good, Math.min(bad, length), failedRun, t, requeue, why);
  }
}

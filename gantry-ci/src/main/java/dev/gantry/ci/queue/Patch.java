package dev.gantry.ci.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A pushed head of {@code review} or {@code review/<name>} waiting to reach {@code master}.
 *
 * @param reason why it was rejected, superseded or removed (empty otherwise)
 * @param trail for a rejected patch, the bisection steps that single it out
 * @param candidates the candidates (full and probes) that contained it, oldest first
 * @param urgent in the priority lane: tested alone, ahead of the queue (see {@link #isHotfixBranch})
 * @param stack its commits that master did not have when it was pushed, oldest first, when
 *     there are several (empty otherwise, or when not known): a rejection names the first
 *     that fails (see {@link StackSearch})
 */
public record Patch(
    long id,
    String branch,
    String commit,
    String author,
    String subject,
    Instant submitted,
    PatchState state,
    String reason,
    List<TrailEntry> trail,
    List<Long> candidates,
    Instant closed,
    boolean urgent,
    List<String> stack) {

  /** Branches under this prefix are urgent: the way to repair a broken master through the gate. */
  public static final String HOTFIX_PREFIX = "review/hotfix/";

  public Patch {
    trail = List.copyOf(trail);
    candidates = List.copyOf(candidates);
    reason = reason == null ? "" : reason;
    stack = stack == null ? List.of() : List.copyOf(stack);
  }

  /** A patch whose stack is not known (one commit, or read back from the store). */
  public Patch(long id, String branch, String commit, String author, String subject, Instant submitted, PatchState state, String reason,
      List<TrailEntry> trail, List<Long> candidates, Instant closed, boolean urgent) {
    this(id, branch, commit, author, subject, submitted, state, reason, trail, candidates, closed, urgent, List.of());
  }

  Patch with(PatchState s, String why, Instant at) {
    return new Patch(id, branch, commit, author, subject, submitted, s, why, trail, candidates, s.terminal() ? at : null, urgent, stack);
  }

  Patch withTrail(List<TrailEntry> t) {
    return new Patch(id, branch, commit, author, subject, submitted, state, reason, t, candidates, closed, urgent, stack);
  }

  Patch urgent(boolean u) {
    return new Patch(id, branch, commit, author, subject, submitted, state, reason, trail, candidates, closed, u, stack);
  }

  Patch inCandidate(long candidate) {
    var c = new ArrayList<>(candidates);
    c.add(candidate);
    return new Patch(id, branch, commit, author, subject, submitted, state, reason, trail, c, closed, urgent, stack);
  }

  /**
   * Whether a push of {@code branch} takes the priority lane: {@code review/hotfix/<name>}.
   *
   * <pre>{@code
   * Patch.isHotfixBranch("review/hotfix/login"); // true
   * }</pre>
   */
  public static boolean isHotfixBranch(String branch) {
    return branch.startsWith(HOTFIX_PREFIX) && branch.length() > HOTFIX_PREFIX.length();
  }

  /** A short label for pages and messages: {@code #12 review/login (3f2a9c1)}. */
  public String label() {
    return "#" + id + " " + branch + " (" + commit.substring(0, Math.min(7, commit.length())) + ")";
  }
}

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
    boolean urgent) {

  /** Branches under this prefix are urgent: the way to repair a broken master through the gate. */
  public static final String HOTFIX_PREFIX = "review/hotfix/";

  public Patch {
    trail = List.copyOf(trail);
    candidates = List.copyOf(candidates);
    reason = reason == null ? "" : reason;
  }

  Patch with(PatchState s, String why, Instant at) {
    return new Patch(id, branch, commit, author, subject, submitted, s, why, trail, candidates, s.terminal() ? at : null, urgent);
  }

  Patch withTrail(List<TrailEntry> t) {
    return new Patch(id, branch, commit, author, subject, submitted, state, reason, t, candidates, closed, urgent);
  }

  Patch urgent(boolean u) {
    return new Patch(id, branch, commit, author, subject, submitted, state, reason, trail, candidates, closed, u);
  }

  Patch inCandidate(long candidate) {
    var c = new ArrayList<>(candidates);
    c.add(candidate);
    return new Patch(id, branch, commit, author, subject, submitted, state, reason, trail, c, closed, urgent);
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

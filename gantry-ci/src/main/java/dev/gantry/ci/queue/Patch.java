package dev.gantry.ci.queue;

import java.time.Instant;
import java.util.List;

/**
 * A pushed head of {@code review} or {@code review/<name>} waiting to reach {@code master}.
 *
 * @param reason why it was rejected, superseded or removed (empty otherwise)
 * @param trail for a rejected patch, the bisection steps that single it out
 * @param candidates the candidates (full and probes) that contained it, oldest first
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
    Instant closed) {

  public Patch {
    trail = List.copyOf(trail);
    candidates = List.copyOf(candidates);
    reason = reason == null ? "" : reason;
  }

  Patch with(PatchState s, String why, Instant at) {
    return new Patch(id, branch, commit, author, subject, submitted, s, why, trail, candidates, s.terminal() ? at : null);
  }

  Patch withTrail(List<TrailEntry> t) {
    return new Patch(id, branch, commit, author, subject, submitted, state, reason, t, candidates, closed);
  }

  Patch inCandidate(long candidate) {
    var c = new java.util.ArrayList<>(candidates);
    c.add(candidate);
    return new Patch(id, branch, commit, author, subject, submitted, state, reason, trail, c, closed);
  }

  /** A short label for pages and messages: {@code #12 review/login (3f2a9c1)}. */
  public String label() {
    return "#" + id + " " + branch + " (" + commit.substring(0, Math.min(7, commit.length())) + ")";
  }
}

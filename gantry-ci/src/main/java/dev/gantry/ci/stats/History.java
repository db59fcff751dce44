package dev.gantry.ci.stats;

import java.time.Instant;
import java.util.List;

/**
 * What the trends are computed from, as the CI's store keeps it.
 *
 * <pre>{@code
 * History h = new History(List.of(new History.PatchRecord(pushed, merged, true, List.of(7L))),
 *     List.of(new History.CandidateRecord(7, created)), runs);
 * }</pre>
 */
public record History(List<PatchRecord> patches, List<CandidateRecord> candidates, List<RunRecord> runs) {
  public History {
    patches = List.copyOf(patches);
    candidates = List.copyOf(candidates);
    runs = List.copyOf(runs);
  }

  /** A patch: pushed ({@code submitted}), closed when merged or rejected; the candidates that tested it. */
  public record PatchRecord(Instant submitted, Instant closed, boolean merged, List<Long> candidates) {}

  /** A candidate and when it was made (testing began). */
  public record CandidateRecord(long id, Instant created) {}

  /**
   * A step run: made ({@code created}), taken by {@code agent} ({@code started}), finished.
   *
   * @param outcome PASSED, FAILED, or another status for runs cancelled, skipped or lost
   */
  public record RunRecord(String step, int attempt, String outcome, String agent, Instant created, Instant started,
      Instant finished) {}
}

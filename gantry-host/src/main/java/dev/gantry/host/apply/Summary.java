package dev.gantry.host.apply;

import dev.gantry.host.property.Status;
import java.util.List;

/**
 * Counts of outcomes by status, as printed at the end of a spin.
 *
 * <pre>{@code
 * Summary s = Summary.of(outcomes);   // "28 ok, 2 changed, 0 failed"
 * }</pre>
 */
public record Summary(int ok, int changed, int wouldChange, int wouldFail, int failed) {
  public static Summary of(List<PropertyOutcome> outcomes) {
    int ok = 0;
    int changed = 0;
    int would = 0;
    int wouldFail = 0;
    int failed = 0;
    for (PropertyOutcome o : outcomes) {
      Status s = o.result().status();
      switch (s) {
        case NO_CHANGE -> ok++;
        case MADE_CHANGE -> changed++;
        case WOULD_CHANGE -> would++;
        case WOULD_FAIL -> wouldFail++;
        case FAILED -> failed++;
      }
    }
    return new Summary(ok, changed, would, wouldFail, failed);
  }

  /** True when a property failed or (in a dry run) would fail. */
  public boolean anyFailed() {
    return failed > 0 || wouldFail > 0;
  }

  @Override
  public String toString() {
    return ok + " ok, " + changed + " changed, " + (wouldChange > 0 ? wouldChange + " would change, " : "")
        + (wouldFail > 0 ? wouldFail + " would fail, " : "") + failed + " failed";
  }
}

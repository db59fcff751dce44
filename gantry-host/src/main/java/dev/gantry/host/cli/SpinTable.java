package dev.gantry.host.cli;

import dev.gantry.core.cli.Table;
import dev.gantry.host.apply.Summary;
import dev.gantry.host.spin.HostReport;
import java.util.List;
import java.util.Locale;

/**
 * The table after a spin of several hosts: one row per host with its counts, time and
 * state, so a failed host among many is seen at once.
 *
 * <pre>{@code
 * HOST  OK  CHANGED  WOULD CHANGE  WOULD FAIL  FAILED  TIME   STATE
 * web1  30  2        0             0           0       1.2 s  ok
 * }</pre>
 */
final class SpinTable {
  private SpinTable() {}

  static String of(List<HostReport> hosts) {
    Table t = new Table("HOST", "OK", "CHANGED", "WOULD CHANGE", "WOULD FAIL", "FAILED", "TIME", "STATE");
    for (HostReport h : hosts) {
      Summary s = h.summary();
      String state = h.error() != null ? "error" : s.failed() > 0 ? "failed" : s.wouldFail() > 0 ? "would fail" : "ok";
      t.row(h.host(), s.ok(), s.changed(), s.wouldChange(), s.wouldFail(), s.failed(),
          String.format(Locale.ROOT, "%.1f s", h.millis() / 1000.0), state);
    }
    return t.render();
  }
}

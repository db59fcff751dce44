package dev.gantry.monitor.history;

import dev.gantry.core.UserError;
import java.time.Duration;

/**
 * How much metric history the monitor keeps: points younger than {@code window}, at most
 * {@code pointsPerSeries} per (host, service), at most {@code maxSeries} series. The defaults
 * (1 h, 720 points, 4,000 series) keep a whole hour of collectd's 10 s interval, the last
 * 12 minutes of a series sent every second, and at most about 46 MiB of points.
 *
 * <pre>{@code
 * HistoryLimits limits = HistoryLimits.defaults().withMaxSeries(500);
 * }</pre>
 */
public record HistoryLimits(Duration window, int pointsPerSeries, int maxSeries) {
  public HistoryLimits {
    if (window == null || window.isNegative() || window.isZero()) {
      throw new UserError("monitor.history-window: must be positive, got " + window);
    }
    if (pointsPerSeries < 2) {
      throw new UserError("monitor.history-points: " + pointsPerSeries + " is below the minimum of 2");
    }
    if (maxSeries < 1) {
      throw new UserError("monitor.history-series: " + maxSeries + " is below the minimum of 1");
    }
  }

  public static HistoryLimits defaults() {
    return new HistoryLimits(Duration.ofHours(1), 720, 4_000);
  }

  public HistoryLimits withWindow(Duration v) {
    return new HistoryLimits(v, pointsPerSeries, maxSeries);
  }

  public HistoryLimits withPointsPerSeries(int v) {
    return new HistoryLimits(window, v, maxSeries);
  }

  public HistoryLimits withMaxSeries(int v) {
    return new HistoryLimits(window, pointsPerSeries, v);
  }
}

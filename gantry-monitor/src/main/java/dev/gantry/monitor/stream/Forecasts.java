package dev.gantry.monitor.stream;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.monitor.client.Event;
import java.util.ArrayDeque;

/** Smoothing and forecasting of a metric: ewma and predict-linear. */
final class Forecasts {
  private Forecasts() {}

  /** The attribute predict-linear sets: seconds until the metric reaches the limit. */
  static final String SECONDS_TO_LIMIT = "seconds_to_limit";

  static final class Average {
    double value = Double.NaN;
  }

  /** Replaces each metric by r * metric + (1 - r) * previous average. */
  static StreamSpec ewma(double r, StreamSpec[] children) {
    if (!(r > 0 && r <= 1)) {
      throw new DefinitionError("ewma weight " + r + " is not in (0, 1]");
    }
    return ctx -> new Node(ctx, children) {
      private final Average a = ctx.state("ewma", Average.class, Average::new);

      @Override
      public void accept(Event e) {
        if (!e.hasMetric()) {
          return;
        }
        a.value = Double.isNaN(a.value) ? e.metricValue() : r * e.metricValue() + (1 - r) * a.value;
        out.accept(e.withMetric(a.value));
      }
    };
  }

  /**
   * The points of the window with their running sums, so each event costs O(1). Points
   * closer than {@code bucket} seconds are merged into their mean, so a window holds at
   * most {@link #BUCKETS} points however fast events come. x is seconds since
   * {@code origin}; the sums are rebuilt now and then so subtraction errors cannot pile up.
   */
  static final class Points {
    static final int BUCKETS = 240;
    final ArrayDeque<double[]> points = new ArrayDeque<>();
    double origin = Double.NaN;
    double sx;
    double sy;
    double sxx;
    double sxy;
    long removals;

    /** Adds a point; one within {@code bucket} seconds of the last is merged into it. */
    void add(double t, double y, double bucket) {
      if (Double.isNaN(origin)) {
        origin = t;
      }
      double x = t - origin;
      double[] last = points.peekLast();
      if (last != null && x - last[2] < bucket && x >= last[2]) {
        // last = {x mean, y mean, x of the bucket's first point, count}
        unsum(last);
        double n = last[3] + 1;
        last[0] += (x - last[0]) / n;
        last[1] += (y - last[1]) / n;
        last[3] = n;
        sum(last);
        return;
      }
      double[] p = {x, y, x, 1};
      points.addLast(p);
      sum(p);
    }

    private void sum(double[] p) {
      sx += p[0];
      sy += p[1];
      sxx += p[0] * p[0];
      sxy += p[0] * p[1];
    }

    private void unsum(double[] p) {
      sx -= p[0];
      sy -= p[1];
      sxx -= p[0] * p[0];
      sxy -= p[0] * p[1];
    }

    void removeFirst() {
      unsum(points.removeFirst());
      if (++removals % 10_000 == 0 || points.isEmpty()) {
        resum();
      }
    }

    private void resum() {
      sx = 0;
      sy = 0;
      sxx = 0;
      sxy = 0;
      for (double[] p : points) {
        sx += p[0];
        sy += p[1];
        sxx += p[0] * p[0];
        sxy += p[0] * p[1];
      }
    }

    /** Seconds from {@code t} until the fitted line reaches {@code limit}, or null. */
    Double secondsToLimit(double limit, double t, double current) {
      boolean rising = limit >= current;
      if ((rising && current >= limit) || (!rising && current <= limit)) {
        return 0.0;
      }
      int n = points.size();
      if (n < 3) {
        return null;
      }
      double denom = n * sxx - sx * sx;
      if (denom <= 0) {
        return null;
      }
      double slope = (n * sxy - sx * sy) / denom;
      double intercept = (sy - slope * sx) / n;
      if (slope == 0 || (rising && slope < 0) || (!rising && slope > 0)) {
        return null;
      }
      double reachAt = origin + (limit - intercept) / slope;
      return Math.max(0, reachAt - t);
    }
  }

  /**
   * Fits a line (least squares) to the metric over the last {@code window} of event time
   * and passes each event with attribute {@code seconds_to_limit}: when the line reaches
   * {@code limit}, "0" if already there, absent if it never will (flat or moving away)
   * or fewer than three points are known.
   */
  static StreamSpec predictLinear(long windowMicros, double limit, StreamSpec[] children) {
    return ctx -> new Node(ctx, children) {
      private final Points p = ctx.state("predict", Points.class, Points::new);

      @Override
      public void accept(Event e) {
        if (!e.hasMetric()) {
          out.accept(e);
          return;
        }
        double t = e.timeMicros() / 1e6;
        p.add(t, e.metricValue(), windowMicros / 1e6 / Points.BUCKETS);
        double horizon = t - windowMicros / 1e6 - p.origin;
        while (p.points.size() > Points.BUCKETS + 1 || p.points.peekFirst()[0] < horizon) {
          p.removeFirst();
        }
        Double secs = p.secondsToLimit(limit, t, e.metricValue());
        out.accept(secs == null ? e : e.toBuilder().attribute(SECONDS_TO_LIMIT, Long.toString(Math.round(secs))).build());
      }
    };
  }


}

package dev.gantry.monitor.stream;

import dev.gantry.monitor.client.Event;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * How windows combine the events they hold into one event: the last event of the window
 * with its metric replaced by the sum, mean, maximum, ... of the metrics.
 *
 * <pre>{@code
 * Streams.fixedTimeWindow(Duration.ofMinutes(1), Folds.mean(), Streams.index());
 * }</pre>
 */
public final class Folds {
  private Folds() {}

  public static Function<List<Event>, Event> sum() {
    return events -> withMetric(events, metrics(events).sum());
  }

  public static Function<List<Event>, Event> mean() {
    return events -> {
      double[] m = metrics(events).toArray();
      return withMetric(events, m.length == 0 ? Double.NaN : Arrays.stream(m).average().orElse(Double.NaN));
    };
  }

  public static Function<List<Event>, Event> max() {
    return events -> withMetric(events, metrics(events).max().orElse(Double.NaN));
  }

  public static Function<List<Event>, Event> min() {
    return events -> withMetric(events, metrics(events).min().orElse(Double.NaN));
  }

  /** The number of events, whatever their metrics. */
  public static Function<List<Event>, Event> count() {
    return events -> events.isEmpty() ? null : events.get(events.size() - 1).withMetric((long) events.size());
  }

  /** The {@code p}-quantile (0..1) of the metrics, nearest rank. */
  public static Function<List<Event>, Event> quantile(double p) {
    return events -> {
      double[] m = metrics(events).sorted().toArray();
      return withMetric(events, quantileOfSorted(m, p));
    };
  }

  static double quantileOfSorted(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int idx = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }

  private static java.util.stream.DoubleStream metrics(List<Event> events) {
    return events.stream().filter(Event::hasMetric).mapToDouble(Event::metricValue);
  }

  private static Event withMetric(List<Event> events, double metric) {
    if (events.isEmpty() || Double.isNaN(metric)) {
      return null;
    }
    return events.get(events.size() - 1).withMetric(metric);
  }
}

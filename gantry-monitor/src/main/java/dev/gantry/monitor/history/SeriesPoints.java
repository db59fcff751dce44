package dev.gantry.monitor.history;

/**
 * The history of one (host, service): times in microseconds since the epoch, ascending,
 * and the metric at each.
 *
 * <pre>{@code
 * SeriesPoints p = history.points(new IndexKey("web1", "cpu")).orElseThrow();
 * double last = p.values()[p.size() - 1];
 * }</pre>
 */
public record SeriesPoints(String host, String service, long[] timesMicros, double[] values) {
  public int size() {
    return timesMicros.length;
  }
}

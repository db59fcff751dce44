package dev.gantry.monitor.history;

/**
 * The points of one (host, service) in time order: a ring of two primitive arrays (16 bytes
 * a point) that grows by doubling up to {@code max} and then drops its oldest point for each
 * new one. Not thread-safe: the engine thread owns it.
 */
final class Series {
  private static final int INITIAL = 16;

  private final int max;
  private long[] times = new long[INITIAL];
  private double[] values = new double[INITIAL];
  private int head;
  private int size;
  /** When it was last updated or charted, in the history's count of touches (engine thread). */
  long touched;
  /** Set when the history let it go, so an index slot still holding it looks it up anew. */
  boolean dropped;

  Series(int max) {
    this.max = max;
    if (max < INITIAL) {
      times = new long[max];
      values = new double[max];
    }
  }

  int size() {
    return size;
  }

  /** The bytes of the two arrays, as allocated. */
  long bytes() {
    return (long) times.length * (Long.BYTES + Double.BYTES);
  }

  long newest() {
    return times[slot(size - 1)];
  }

  double last() {
    return values[slot(size - 1)];
  }

  /**
   * Adds a point where its time belongs: an equal time replaces the point there, a late one
   * is inserted in order, one older than every point of a full series is dropped.
   * Returns the change in the number of points (0 or 1).
   */
  int add(long timeMicros, double value) {
    int at = size;
    while (at > 0 && times[slot(at - 1)] > timeMicros) {
      at--;
    }
    if (at > 0 && times[slot(at - 1)] == timeMicros) {
      values[slot(at - 1)] = value;
      return 0;
    }
    if (size == times.length && times.length < max) {
      grow();
    }
    int added = 1;
    if (size == times.length) {
      if (at == 0) {
        return 0; // older than everything a full series holds
      }
      // full: the oldest point makes room
      head = slot(1);
      size--;
      at--;
      added = 0;
    }
    for (int i = size; i > at; i--) {
      times[slot(i)] = times[slot(i - 1)];
      values[slot(i)] = values[slot(i - 1)];
    }
    times[slot(at)] = timeMicros;
    values[slot(at)] = value;
    size++;
    return added;
  }

  /** Drops the points before {@code cutoffMicros}; returns how many. */
  int dropBefore(long cutoffMicros) {
    int dropped = 0;
    while (size > 0 && times[head] < cutoffMicros) {
      head = slot(1);
      size--;
      dropped++;
    }
    return dropped;
  }

  /** The points from {@code fromMicros} on, as two arrays in time order. */
  SeriesPoints copy(String host, String service, long fromMicros) {
    int first = 0;
    while (first < size && times[slot(first)] < fromMicros) {
      first++;
    }
    long[] t = new long[size - first];
    double[] v = new double[size - first];
    for (int i = first; i < size; i++) {
      t[i - first] = times[slot(i)];
      v[i - first] = values[slot(i)];
    }
    return new SeriesPoints(host, service, t, v);
  }

  private int slot(int i) {
    return (head + i) % times.length;
  }

  private void grow() {
    int n = Math.min(max, times.length * 2);
    long[] t = new long[n];
    double[] v = new double[n];
    for (int i = 0; i < size; i++) {
      t[i] = times[slot(i)];
      v[i] = values[slot(i)];
    }
    times = t;
    values = v;
    head = 0;
  }
}

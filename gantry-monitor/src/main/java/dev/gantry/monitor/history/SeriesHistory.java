package dev.gantry.monitor.history;

import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.index.IndexKey;
import dev.gantry.monitor.index.IndexListener;
import dev.gantry.monitor.index.IndexSlot;
import dev.gantry.monitor.query.Query;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The recent metrics of every (host, service), kept for charts: each indexed event with a
 * finite metric becomes a point at the event's own time. Bounded three ways by
 * {@link HistoryLimits}: points older than the window are dropped, a series keeps at most
 * its number of points (the oldest go first), and when a new series would pass the number of
 * series, the sixteenth updated (or charted) longest ago (at least one) is dropped. A series
 * whose points all aged out goes with them. Owned by the engine thread (an {@link
 * IndexListener}, keeping each key's series in its index slot so an event costs no lookup);
 * {@link #usage()} may be read from any thread.
 *
 * <pre>{@code
 * SeriesHistory history = new SeriesHistory(HistoryLimits.defaults(), clock);
 * index.addListener(history);
 * history.prune();                                       // now and then (publishUsage() on every tick)
 * history.points(new IndexKey("web1", "cpu user"));      // on the engine thread
 * }</pre>
 */
public final class SeriesHistory implements IndexListener {
  /** The fixed cost of a series beside its points, estimated: map entry, key, ring object and arrays' headers. */
  static final long SERIES_OVERHEAD_BYTES = 160;

  /** How much the history holds. */
  public record Usage(int series, long points, long bytes) {}

  private final HistoryLimits limits;
  private final InstantSource clock;
  private final long windowMicros;
  private final HashMap<IndexKey, Series> series = new HashMap<>();
  // orders the series by when they were last updated or charted, for dropping the oldest
  private long touches;
  private long points;
  // the bytes of every series' arrays, kept as they grow so usage needs no walk over the series
  private long arrayBytes;
  private long droppedSeries;
  private volatile Usage usage = new Usage(0, 0, 0);

  public SeriesHistory(HistoryLimits limits, InstantSource clock) {
    this.limits = limits;
    this.clock = clock;
    this.windowMicros = limits.window().toNanos() / 1000;
  }

  public HistoryLimits limits() {
    return limits;
  }

  @Override
  public void indexed(Event e) {
    record(e);
  }

  @Override
  public void indexed(IndexKey key, Event e) {
    record(key, e);
  }

  @Override
  public void indexed(IndexSlot slot, Event e) {
    if (!recordable(e)) {
      return;
    }
    Series s = slot.attachment() instanceof Series mine && !mine.dropped ? mine : seriesOf(slot.key());
    slot.attach(s);
    add(s, e);
  }

  @Override
  public void expired(Event original, Event expired) {
    // the points stay: a chart of a host that went quiet shows where it stopped
  }

  /** Adds the event's metric as a point, unless it has none, is not finite or is older than the window. */
  public void record(Event e) {
    record(IndexKey.of(e), e);
  }

  private void record(IndexKey key, Event e) {
    if (recordable(e)) {
      add(seriesOf(key), e);
    }
  }

  private boolean recordable(Event e) {
    return e.hasMetric() && Double.isFinite(e.metric().doubleValue()) && e.timeMicros() >= cutoff();
  }

  private void add(Series s, Event e) {
    s.touched = ++touches;
    long bytes = s.bytes();
    points += s.add(e.timeMicros(), e.metric().doubleValue());
    arrayBytes += s.bytes() - bytes;
  }

  /** The series of {@code key}, made (and room made for it) when there is none. */
  private Series seriesOf(IndexKey key) {
    Series s = series.get(key);
    if (s == null) {
      if (series.size() >= limits.maxSeries()) {
        dropOldest(Math.max(1, series.size() / 16));
      }
      s = new Series(limits.pointsPerSeries());
      series.put(key, s);
      arrayBytes += s.bytes();
    }
    return s;
  }

  /** Drops the {@code n} series touched longest ago: one pass per n new series, not one per series. */
  private void dropOldest(int n) {
    long[] ages = new long[series.size()];
    int i = 0;
    for (Series s : series.values()) {
      ages[i++] = s.touched;
    }
    Arrays.sort(ages);
    long limit = ages[n - 1];
    for (Iterator<Series> it = series.values().iterator(); it.hasNext(); ) {
      Series s = it.next();
      if (s.touched <= limit) {
        drop(s);
        it.remove();
        droppedSeries++;
      }
    }
  }

  private void drop(Series s) {
    points -= s.size();
    arrayBytes -= s.bytes();
    s.dropped = true;
  }

  /**
   * Drops the points older than the window and the series left empty, and publishes the
   * {@link #usage()}. A walk over every series: reads leave old points out by themselves,
   * so once in a while is enough.
   */
  public Usage prune() {
    long cutoff = cutoff();
    for (Iterator<Series> it = series.values().iterator(); it.hasNext(); ) {
      Series s = it.next();
      points -= s.dropBefore(cutoff);
      if (s.size() == 0) {
        drop(s);
        it.remove();
      }
    }
    return publishUsage();
  }

  /** Publishes the current {@link #usage()} for other threads, without a walk over the series. */
  public Usage publishUsage() {
    Usage u = new Usage(series.size(), points, arrayBytes + series.size() * SERIES_OVERHEAD_BYTES);
    usage = u;
    return u;
  }

  /** The series and points held at the last {@link #prune()} or {@link #publishUsage()}, and their bytes as allocated. */
  public Usage usage() {
    return usage;
  }

  /** Series dropped to make room for newer ones since the start. */
  public long droppedSeries() {
    return droppedSeries;
  }

  /** The points of {@code key} within the window, if it has any. */
  public Optional<SeriesPoints> points(IndexKey key) {
    Series s = series.get(key);
    if (s == null) {
      return Optional.empty();
    }
    s.touched = ++touches;
    SeriesPoints p = s.copy(key.host(), key.service(), cutoff());
    return p.size() == 0 ? Optional.empty() : Optional.of(p);
  }

  /**
   * The series whose latest point matches {@code query} (as the index would show it: the
   * host, service, time and metric), at most {@code max}, by host and service.
   */
  public List<SeriesPoints> matching(Query query, int max) {
    List<Map.Entry<IndexKey, Series>> found = new ArrayList<>();
    for (Map.Entry<IndexKey, Series> entry : series.entrySet()) {
      IndexKey k = entry.getKey();
      Series s = entry.getValue();
      if (s.size() > 0 && query.matches(Event.builder().host(k.host()).service(k.service())
          .timeMicros(s.newest()).metric(s.last()).build())) {
        found.add(entry);
      }
    }
    found.sort(Comparator.comparing((Map.Entry<IndexKey, Series> en) -> String.valueOf(en.getKey().host()))
        .thenComparing(en -> String.valueOf(en.getKey().service())));
    List<SeriesPoints> out = new ArrayList<>();
    long cutoff = cutoff();
    for (Map.Entry<IndexKey, Series> en : found) {
      SeriesPoints p = en.getValue().copy(en.getKey().host(), en.getKey().service(), cutoff);
      if (p.size() > 0 && out.size() < max) {
        out.add(p);
      }
    }
    return out;
  }

  private long cutoff() {
    // milliseconds are plenty for a window of minutes, and cheaper to read than an Instant on every event
    return clock.millis() * 1000L - windowMicros;
  }
}

package dev.gantry.monitor.history;

import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.index.IndexKey;
import dev.gantry.monitor.index.IndexListener;
import dev.gantry.monitor.query.Query;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The recent metrics of every (host, service), kept for charts: each indexed event with a
 * finite metric becomes a point at the event's own time. Bounded three ways by
 * {@link HistoryLimits}: points older than the window are dropped, a series keeps at most
 * its number of points (the oldest go first), and when a new series would pass the number of
 * series, the one updated (or charted) longest ago is dropped. A series whose points all aged out goes
 * with them. Owned by the engine thread (an {@link IndexListener}); {@link #usage()} may be
 * read from any thread.
 *
 * <pre>{@code
 * SeriesHistory history = new SeriesHistory(HistoryLimits.defaults(), clock);
 * index.addListener(history);
 * history.prune();                                       // on every tick
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
  // access order: the first entry is the series updated longest ago
  private final LinkedHashMap<IndexKey, Series> series = new LinkedHashMap<>(16, 0.75f, true);
  private long points;
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
  public void expired(Event original, Event expired) {
    // the points stay: a chart of a host that went quiet shows where it stopped
  }

  /** Adds the event's metric as a point, unless it has none, is not finite or is older than the window. */
  public void record(Event e) {
    record(IndexKey.of(e), e);
  }

  private void record(IndexKey key, Event e) {
    if (!e.hasMetric()) {
      return;
    }
    double v = e.metric().doubleValue();
    if (!Double.isFinite(v) || e.timeMicros() < cutoff()) {
      return;
    }
    Series s = series.get(key);
    if (s == null) {
      if (series.size() >= limits.maxSeries()) {
        Iterator<Series> oldest = series.values().iterator();
        points -= oldest.next().size();
        oldest.remove();
        droppedSeries++;
      }
      s = new Series(limits.pointsPerSeries());
      series.put(key, s);
    }
    points += s.add(e.timeMicros(), v);
  }

  /** Drops the points older than the window and the series left empty; updates {@link #usage()}. */
  public Usage prune() {
    long cutoff = cutoff();
    long bytes = 0;
    for (Iterator<Series> it = series.values().iterator(); it.hasNext(); ) {
      Series s = it.next();
      points -= s.dropBefore(cutoff);
      if (s.size() == 0) {
        it.remove();
      } else {
        bytes += s.bytes() + SERIES_OVERHEAD_BYTES;
      }
    }
    Usage u = new Usage(series.size(), points, bytes);
    usage = u;
    return u;
  }

  /** The series and points held at the last {@link #prune()}, and their bytes as allocated. */
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
    SeriesPoints p = s.copy(key.host(), key.service(), cutoff());
    return p.size() == 0 ? Optional.empty() : Optional.of(p);
  }

  /**
   * The series whose latest point matches {@code query} (as the index would show it: the
   * host, service, time and metric), at most {@code max}, by host and service.
   */
  public List<SeriesPoints> matching(Query query, int max) {
    List<Map.Entry<IndexKey, Series>> found = new ArrayList<>();
    // iterating reads the entries without reordering them as a lookup would
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

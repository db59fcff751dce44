package dev.gantry.monitor.stream;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.index.IndexKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Windows over events, each emitting one folded event (see {@link Folds}): moving and
 * fixed, by count or by time, coalesce, and percentiles. Every window holds at most
 * {@code maxEvents}; beyond that the oldest are dropped.
 */
final class Windows {
  private Windows() {}

  static final int MAX_EVENTS = 10_000;

  static final class Held {
    final ArrayDeque<Event> events = new ArrayDeque<>();
    long start = Long.MIN_VALUE;
  }

  private static void emit(Children out, Function<List<Event>, Event> fold, List<Event> events) {
    Event folded = fold.apply(events);
    if (folded != null) {
      out.accept(folded);
    }
  }

  /** On every event, the fold of the last {@code n} events. */
  static StreamSpec movingWindow(int n, Function<List<Event>, Event> fold, StreamSpec[] children) {
    return ctx -> new Node(ctx, children) {
      private final Held h = ctx.state("moving", Held.class, Held::new);

      @Override
      public void accept(Event e) {
        h.events.addLast(e);
        while (h.events.size() > n) {
          h.events.removeFirst();
        }
        emit(out, fold, new ArrayList<>(h.events));
      }
    };
  }

  /** On every event, the fold of the events of the last {@code dt} (by event time). */
  static StreamSpec movingTimeWindow(long dtMicros, Function<List<Event>, Event> fold, StreamSpec[] children) {
    return ctx -> new Node(ctx, children) {
      private final Held h = ctx.state("moving-time", Held.class, Held::new);

      @Override
      public void accept(Event e) {
        h.events.addLast(e);
        long horizon = e.timeMicros() - dtMicros;
        while (!h.events.isEmpty() && (h.events.peekFirst().timeMicros() <= horizon || h.events.size() > MAX_EVENTS)) {
          h.events.removeFirst();
        }
        emit(out, fold, new ArrayList<>(h.events));
      }
    };
  }

  /** Every {@code n} events, the fold of those {@code n}. */
  static StreamSpec fixedWindow(int n, Function<List<Event>, Event> fold, StreamSpec[] children) {
    return ctx -> new Node(ctx, children) {
      private final Held h = ctx.state("fixed", Held.class, Held::new);

      @Override
      public void accept(Event e) {
        h.events.addLast(e);
        if (h.events.size() >= n) {
          List<Event> window = new ArrayList<>(h.events);
          h.events.clear();
          emit(out, fold, window);
        }
      }
    };
  }

  /** At the end of each {@code dt} interval (engine clock), the fold of its events. */
  static StreamSpec fixedTimeWindow(long dtMicros, Function<List<Event>, Event> fold, StreamSpec[] children) {
    return ctx -> new Node(ctx, children) {
      private final Held h = ctx.state("fixed-time", Held.class, Held::new);

      @Override
      public void accept(Event e) {
        long now = ctx.nowMicros();
        flush(now);
        if (h.start == Long.MIN_VALUE) {
          h.start = now;
        }
        if (h.events.size() >= MAX_EVENTS) {
          h.events.removeFirst();
        }
        h.events.addLast(e);
      }

      private void flush(long now) {
        if (h.start != Long.MIN_VALUE && now - h.start >= dtMicros) {
          List<Event> window = new ArrayList<>(h.events);
          h.events.clear();
          h.start = Long.MIN_VALUE;
          emit(out, fold, window);
        }
      }

      @Override
      public void tick(long now) {
        flush(now);
        out.tick(now);
      }
    };
  }

  static final class Latest {
    final Map<IndexKey, Event> byKey = new LinkedHashMap<>();
    long lastEmit = Long.MIN_VALUE;
  }

  /**
   * Keeps the latest event of each (host, service), forgetting those past their TTL, and
   * every {@code dt} emits the fold of them all (e.g. the sum of every host's requests).
   */
  static StreamSpec coalesce(long dtMicros, Function<List<Event>, Event> fold, StreamSpec[] children) {
    return ctx -> new Node(ctx, children) {
      private final Latest l = ctx.state("coalesce", Latest.class, Latest::new);

      @Override
      public void accept(Event e) {
        IndexKey k = IndexKey.of(e);
        if (dev.gantry.monitor.index.Index.EXPIRED.equals(e.state())) {
          l.byKey.remove(k);
        } else if (l.byKey.size() < MAX_EVENTS || l.byKey.containsKey(k)) {
          l.byKey.put(k, e);
        }
      }

      @Override
      public void tick(long now) {
        if (l.lastEmit == Long.MIN_VALUE) {
          l.lastEmit = now;
        } else if (now - l.lastEmit >= dtMicros) {
          l.lastEmit = now;
          l.byKey.values().removeIf(e -> e.timeMicros() + ctx.index().ttlMicros(e) < now);
          if (!l.byKey.isEmpty()) {
            emit(out, fold, new ArrayList<>(l.byKey.values()));
          }
        }
        out.tick(now);
      }
    };
  }

  /**
   * Every {@code dt}, one event per quantile in {@code ps}: the last event of the interval
   * with service {@code "<service> <p>"} and metric the quantile of the interval's metrics.
   * Metrics are kept as numbers, at most {@link Reservoir#SIZE} per interval (a uniform
   * sample beyond that), so memory does not grow with the event rate; NaN metrics are left
   * out. Quantiles are nearest-rank, found by selection rather than a sort. The first
   * interval is longer by a phase of this node's own ({@link #phase}, less than {@code dt}):
   * partitions started by one batch (every host's latencies) then close on different ticks
   * rather than all selecting over their samples on one, holding the rules for
   * milliseconds. Longer rather than shorter, so no interval holds fewer requests than a
   * whole one would and raises an alert on a thin sample.
   */
  static StreamSpec percentiles(long dtMicros, double[] ps, StreamSpec[] children) {
    for (double p : ps) {
      if (p < 0 || p > 1) {
        throw new DefinitionError("percentile " + p + " is not between 0 and 1");
      }
    }
    return ctx -> new Node(ctx, children) {
      private final Reservoir r = ctx.state("percentiles", Reservoir.class, Reservoir::new);
      private final long phase = phase(ctx.path(), dtMicros);

      @Override
      public void accept(Event e) {
        if (r.start == Long.MIN_VALUE) {
          r.start = ctx.nowMicros() + phase;
        }
        if (e.hasMetric() && !Double.isNaN(e.metricValue())) {
          r.add(e.metricValue());
          r.last = e;
        }
      }

      @Override
      public void tick(long now) {
        if (r.start != Long.MIN_VALUE && now - r.start >= dtMicros) {
          r.start = now;
          if (r.last != null) {
            Event last = r.last;
            int n = r.size();
            double[] values = r.values;
            double[] quantiles = new double[ps.length];
            for (int i = 0; i < ps.length; i++) {
              quantiles[i] = Folds.quantileSelecting(values, n, ps[i]);
            }
            r.clear();
            for (int i = 0; i < ps.length; i++) {
              String svc = (last.service() == null ? "" : last.service() + " ") + trim(ps[i]);
              out.accept(last.withService(svc).withMetric(quantiles[i]).withTimeMicros(now));
            }
          }
        }
        out.tick(now);
      }
    };
  }

  /**
   * How much longer than {@code dtMicros} the first interval of the node at {@code path} is:
   * spread evenly over [0, dt) by a hash of the path, the same on every run and restart.
   */
  static long phase(String path, long dtMicros) {
    long h = path.hashCode() * 0x9E3779B97F4A7C15L; // Fibonacci hashing: similar paths land far apart
    return Long.remainderUnsigned(h, dtMicros);
  }

  /** A uniform sample of at most {@link #SIZE} numbers (Algorithm R). */
  static final class Reservoir {
    static final int SIZE = 10_000;
    final double[] values = new double[SIZE];
    private final java.util.SplittableRandom random = new java.util.SplittableRandom(1);
    private long seen;
    long start = Long.MIN_VALUE;
    Event last;

    void add(double v) {
      if (seen < SIZE) {
        values[(int) seen] = v;
      } else {
        long j = random.nextLong(seen + 1);
        if (j < SIZE) {
          values[(int) j] = v;
        }
      }
      seen++;
    }

    /** How many of {@link #values} hold this interval's sample. */
    int size() {
      return (int) Math.min(seen, SIZE);
    }

    void clear() {
      seen = 0;
      last = null;
    }
  }

  private static String trim(double p) {
    String s = Double.toString(p);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }
}

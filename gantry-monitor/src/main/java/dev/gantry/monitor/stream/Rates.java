package dev.gantry.monitor.stream;

import dev.gantry.monitor.client.Event;

/** Nodes that act per time interval: rate, throttle, rollup. */
final class Rates {
  private Rates() {}

  static final class RateState {
    long windowStart = Long.MIN_VALUE;
    double sum;
    int count;
    Event last;
    boolean idleEmitted = true;
  }

  /**
   * Sums the metrics received in each interval and emits, at the interval's end, the last
   * event with metric = sum per second. An interval without events emits 0 once, then the
   * node stays quiet until the next event.
   */
  static StreamSpec rate(long intervalMicros, StreamSpec[] children) {
    return ctx -> new Node(ctx, children) {
      private final RateState s = ctx.state("rate", RateState.class, RateState::new);

      @Override
      public void accept(Event e) {
        if (s.windowStart == Long.MIN_VALUE) {
          s.windowStart = ctx.nowMicros();
        }
        if (e.hasMetric()) {
          s.sum += e.metricValue();
        }
        s.count++;
        s.last = e;
        s.idleEmitted = false;
      }

      @Override
      public void tick(long now) {
        if (s.windowStart != Long.MIN_VALUE && now - s.windowStart >= intervalMicros && s.last != null) {
          if (s.count > 0 || !s.idleEmitted) {
            double seconds = (now - s.windowStart) / 1e6;
            out.accept(s.last.withMetric(s.sum / seconds).withTimeMicros(now));
            s.idleEmitted = s.count == 0;
          }
          if (s.idleEmitted) {
            s.windowStart = Long.MIN_VALUE;
          } else {
            s.windowStart = now;
          }
          s.sum = 0;
          s.count = 0;
        }
        out.tick(now);
      }
    };
  }

  static final class Bucket {
    long start = Long.MIN_VALUE;
    int passed;
    int held;
    Event lastHeld;
  }

  /** Passes at most {@code n} events per period; the others are dropped. */
  static StreamSpec throttle(int n, long periodMicros, StreamSpec[] children) {
    return ctx -> new Node(ctx, children) {
      private final Bucket b = ctx.state("throttle", Bucket.class, Bucket::new);

      @Override
      public void accept(Event e) {
        long now = ctx.nowMicros();
        if (b.start == Long.MIN_VALUE || now - b.start >= periodMicros) {
          b.start = now;
          b.passed = 0;
        }
        if (b.passed < n) {
          b.passed++;
          out.accept(e);
        }
      }
    };
  }

  /**
   * Passes the first {@code n} events of each period; the rest are held and, when the
   * period ends, the last of them is emitted once with attribute {@code rollup_count}
   * (how many were held) so a notification says how much was rolled up.
   */
  static StreamSpec rollup(int n, long periodMicros, StreamSpec[] children) {
    return ctx -> new Node(ctx, children) {
      private final Bucket b = ctx.state("rollup", Bucket.class, Bucket::new);

      @Override
      public void accept(Event e) {
        long now = ctx.nowMicros();
        flushIfDue(now);
        if (b.start == Long.MIN_VALUE) {
          b.start = now;
        }
        if (b.passed < n) {
          b.passed++;
          out.accept(e);
        } else {
          b.held++;
          b.lastHeld = e;
        }
      }

      private void flushIfDue(long now) {
        if (b.start != Long.MIN_VALUE && now - b.start >= periodMicros) {
          if (b.held > 0) {
            out.accept(b.lastHeld.toBuilder().attribute("rollup_count", Integer.toString(b.held)).build());
          }
          b.start = b.held > 0 ? now : Long.MIN_VALUE;
          b.passed = b.held > 0 ? 1 : 0;
          b.held = 0;
          b.lastHeld = null;
        }
      }

      @Override
      public void tick(long now) {
        flushIfDue(now);
        out.tick(now);
      }
    };
  }
}

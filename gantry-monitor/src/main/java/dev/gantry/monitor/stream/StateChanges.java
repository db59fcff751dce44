package dev.gantry.monitor.stream;

import dev.gantry.monitor.client.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Nodes about an event's state over time: changed-state and stable (anti-flap). */
final class StateChanges {
  private StateChanges() {}

  static final class Last {
    String state;
    boolean seen;
  }

  /** Passes an event only when its state differs from the previous one's. */
  static StreamSpec changedState(String initial, StreamSpec[] children) {
    return ctx -> new Node(ctx, children) {
      private final Last last = ctx.state("changed", Last.class, () -> {
        Last l = new Last();
        l.state = initial;
        l.seen = initial != null;
        return l;
      });

      @Override
      public void accept(Event e) {
        if (!last.seen || !Objects.equals(last.state, e.state())) {
          last.seen = true;
          last.state = e.state();
          out.accept(e);
        }
      }
    };
  }

  static final class Newest {
    long time = Long.MIN_VALUE;
  }

  /**
   * Passes an event only when it is not older than the last one passed: duplicates that
   * arrive late (the same source over UDP and batched TCP) cannot undo newer news.
   */
  static StreamSpec latest(StreamSpec[] children) {
    return ctx -> new Node(ctx, children) {
      private final Newest n = ctx.state("latest", Newest.class, Newest::new);

      @Override
      public void accept(Event e) {
        if (e.timeMicros() >= n.time) {
          n.time = e.timeMicros();
          out.accept(e);
        }
      }
    };
  }

  static final class Stability {
    String state;
    long since = Long.MIN_VALUE;
    final List<Event> held = new ArrayList<>();
  }

  /**
   * Passes events only once their state has held for {@code dtMicros} of event time;
   * events seen while the state was settling are passed then, in order (at most
   * {@code maxHeld}). A state that flips back within dt passes nothing.
   */
  static StreamSpec stable(long dtMicros, int maxHeld, StreamSpec[] children) {
    return ctx -> new Node(ctx, children) {
      private final Stability s = ctx.state("stable", Stability.class, Stability::new);

      @Override
      public void accept(Event e) {
        if (s.since == Long.MIN_VALUE || !Objects.equals(s.state, e.state())) {
          s.state = e.state();
          s.since = e.timeMicros();
          s.held.clear();
        }
        if (e.timeMicros() - s.since >= dtMicros) {
          release();
          out.accept(e);
        } else if (s.held.size() < maxHeld) {
          s.held.add(e);
        }
      }

      private void release() {
        for (Event h : s.held) {
          out.accept(h);
        }
        s.held.clear();
      }

      @Override
      public void tick(long now) {
        if (!s.held.isEmpty() && now - s.since >= dtMicros) {
          release();
        }
        out.tick(now);
      }
    };
  }
}

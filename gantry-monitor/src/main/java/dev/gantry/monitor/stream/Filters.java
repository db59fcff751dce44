package dev.gantry.monitor.stream;

import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.index.Index;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** Stateless nodes: filtering, routing and rewriting events. */
final class Filters {
  private Filters() {}

  static StreamSpec where(Predicate<Event> test, StreamSpec[] children) {
    return ctx -> new Node(ctx, children) {
      @Override
      public void accept(Event e) {
        if (test.test(e)) {
          out.accept(e);
        }
      }
    };
  }

  static StreamSpec map(UnaryOperator<Event> f, StreamSpec[] children) {
    return ctx -> new Node(ctx, children) {
      @Override
      public void accept(Event e) {
        Event mapped = f.apply(e);
        if (mapped != null) {
          out.accept(mapped);
        }
      }
    };
  }

  static StreamSpec expired(StreamSpec[] children) {
    return where(e -> Index.EXPIRED.equals(e.state()), children);
  }

  static StreamSpec split(List<Split> branches) {
    return ctx -> {
      Stream[] built = new Stream[branches.size()];
      for (int i = 0; i < built.length; i++) {
        built[i] = branches.get(i).stream().build(ctx.child(Integer.toString(i)));
      }
      return new Stream() {
        @Override
        public void accept(Event e) {
          for (int i = 0; i < built.length; i++) {
            if (branches.get(i).test().test(e)) {
              built[i].accept(e);
              return;
            }
          }
        }

        @Override
        public void tick(long nowMicros) {
          for (Stream s : built) {
            s.tick(nowMicros);
          }
        }
      };
    };
  }

  /** Sets a field; {@code onlyWhenMissing} gives Riemann's {@code default}. */
  static UnaryOperator<Event> setField(String field, Object value, boolean onlyWhenMissing) {
    return e -> {
      Event.Builder b = e.toBuilder();
      switch (field) {
        case "host" -> { if (!onlyWhenMissing || e.host() == null) b.host(str(value)); }
        case "service" -> { if (!onlyWhenMissing || e.service() == null) b.service(str(value)); }
        case "state" -> { if (!onlyWhenMissing || e.state() == null) b.state(str(value)); }
        case "description" -> { if (!onlyWhenMissing || e.description() == null) b.description(str(value)); }
        case "metric" -> { if (!onlyWhenMissing || e.metric() == null) b.metric((Number) value); }
        case "ttl" -> { if (!onlyWhenMissing || !e.hasTtl()) b.ttl(((Number) value).floatValue()); }
        case "time" -> throw new IllegalArgumentException("the time of an event cannot be set with 'with'");
        default -> { if (!onlyWhenMissing || e.attribute(field) == null) b.attribute(field, str(value)); }
      }
      return b.build();
    };
  }

  private static String str(Object v) {
    return v == null ? null : v.toString();
  }
}

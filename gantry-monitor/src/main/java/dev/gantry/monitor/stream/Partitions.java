package dev.gantry.monitor.stream;

import dev.gantry.monitor.client.Event;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code by}: one copy of the children per key, created on the key's first event and
 * dropped (with its state) after {@code idle} without events, so memory follows the live
 * keys. At most {@code maxPartitions} at once; events for further keys are shed and counted.
 * One map lookup per event: a key's entry holds when it was last seen and its children.
 */
final class Partitions {
  private Partitions() {}

  /** The keys, when each last saw an event, and its children; survives reloads, unlike the children. */
  static final class Seen {
    final Map<Object, Part> parts = new LinkedHashMap<>();
  }

  /** One key's partition. {@code children} were built by {@code builder}: another stream (after a reload) builds its own. */
  static final class Part {
    long lastSeenMicros;
    Children children;
    Object builder;
  }

  /** The key of {@link Streams#byHostAndService}: equal hosts and services, no string built per event. */
  record HostService(String host, String service) {
    @Override
    public String toString() {
      return host + "\u0000" + service;
    }
  }

  static StreamSpec by(Function<Event, ?> key, long idleMicros, int maxPartitions, StreamSpec[] children) {
    return ctx -> new Stream() {
      private final Seen seen = ctx.state("by", Seen.class, Seen::new);

      private Children children(Object k, Part p) {
        if (p.builder != this) {
          p.children = Children.build(ctx.child("by[" + k + "]"), children);
          p.builder = this;
        }
        return p.children;
      }

      @Override
      public void accept(Event e) {
        Object k = key.apply(e);
        if (k == null) {
          k = "null";
        }
        Part p = seen.parts.get(k);
        if (p == null) {
          if (seen.parts.size() >= maxPartitions) {
            ctx.count("by-partitions-full");
            return;
          }
          p = new Part();
          seen.parts.put(k, p);
        }
        p.lastSeenMicros = ctx.nowMicros();
        children(k, p).accept(e);
      }

      @Override
      public void tick(long nowMicros) {
        Iterator<Map.Entry<Object, Part>> it = seen.parts.entrySet().iterator();
        while (it.hasNext()) {
          Map.Entry<Object, Part> entry = it.next();
          if (entry.getValue().lastSeenMicros + idleMicros < nowMicros) {
            it.remove();
            ctx.child("by[" + entry.getKey() + "]").dropState();
          } else {
            children(entry.getKey(), entry.getValue()).tick(nowMicros);
          }
        }
      }
    };
  }
}

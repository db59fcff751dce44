package dev.gantry.monitor.stream;

import dev.gantry.monitor.client.Event;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code by}: one copy of the children per key, created on the key's first event and
 * dropped (with its state) after {@code idle} without events, so memory follows the live
 * keys. At most {@code maxPartitions} at once; events for further keys are shed and counted.
 */
final class Partitions {
  private Partitions() {}

  /** The keys and when each last saw an event; survives reloads, unlike the built children. */
  static final class Seen {
    final Map<String, Long> lastSeen = new LinkedHashMap<>();
  }

  static StreamSpec by(Function<Event, String> key, long idleMicros, int maxPartitions, StreamSpec[] children) {
    return ctx -> new Stream() {
      private final Seen seen = ctx.state("by", Seen.class, Seen::new);
      private final Map<String, Children> parts = new HashMap<>();
      private boolean rebuilt;

      private Children part(String k) {
        return parts.computeIfAbsent(k, x -> Children.build(ctx.child("by[" + x + "]"), children));
      }

      @Override
      public void accept(Event e) {
        String k = String.valueOf(key.apply(e));
        Long prev = seen.lastSeen.get(k);
        if (prev == null && seen.lastSeen.size() >= maxPartitions) {
          ctx.count("by-partitions-full");
          return;
        }
        seen.lastSeen.put(k, ctx.nowMicros());
        part(k).accept(e);
      }

      @Override
      public void tick(long nowMicros) {
        if (!rebuilt) {
          // after a reload the partitions are rebuilt from the keys kept in state
          seen.lastSeen.keySet().forEach(this::part);
          rebuilt = true;
        }
        Iterator<Map.Entry<String, Long>> it = seen.lastSeen.entrySet().iterator();
        while (it.hasNext()) {
          Map.Entry<String, Long> entry = it.next();
          if (entry.getValue() + idleMicros < nowMicros) {
            it.remove();
            parts.remove(entry.getKey());
            ctx.child("by[" + entry.getKey() + "]").dropState();
          } else {
            part(entry.getKey()).tick(nowMicros);
          }
        }
      }
    };
  }
}

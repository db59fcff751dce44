package dev.gantry.monitor.observe;

import dev.gantry.monitor.client.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The monitor's figures as Riemann-style events, as Riemann reports its own ({@code riemann
 * streams rate} and so on): services named {@code gantry monitor ...}, counters as rates per
 * second over the interval between two readings, tagged {@code gantry}. They are indexed
 * and go through the rules like any event, so the dashboard and rules can use them.
 *
 * <pre>{@code
 * List<Event> events = SelfEvents.between(previous, now, "monitor1", nowMicros, 30);
 * // gantry monitor received tcp rate, gantry monitor refused malformed rate, gantry monitor queue events, ...
 * }</pre>
 */
public final class SelfEvents {
  private SelfEvents() {}

  /** The events for the interval from {@code before} to {@code now}, each living {@code ttlSeconds}. */
  public static List<Event> between(Readings before, Readings now, String host, long timeMicros, float ttlSeconds) {
    double seconds = Math.max(1e-3, (now.nanoTime() - before.nanoTime()) / 1e9);
    List<Event> out = new ArrayList<>();
    Factory f = new Factory(host, timeMicros, ttlSeconds);
    now.receivedByTransport().forEach((transport, total) -> out.add(f.event("gantry monitor received " + transport
        + " rate", rate(before.receivedByTransport(), transport, total, seconds), "events/s")));
    now.refusedByReason().forEach((reason, total) -> {
      double rate = rate(before.refusedByReason(), reason, total, seconds);
      out.add(f.event("gantry monitor refused " + reason + " rate", rate, "refused messages/s").withState(rate > 0 ? "warning" : "ok"));
    });
    out.add(f.event("gantry monitor queue events", now.queuedEvents(), "events waiting for the rules"));
    out.add(f.event("gantry monitor index size", now.indexSize(), "indexed events"));
    now.latencyMillisByQuantile().forEach((q, ms) -> out.add(f.event("gantry monitor stream latency " + q, ms,
        "ms from a batch queued to its events through the rules")));
    now.alertsByState().forEach((state, n) -> out.add(f.event("gantry monitor alerts " + state, n, state + " alerts")));
    double failed = (now.notificationsFailed() - before.notificationsFailed()) / seconds;
    out.add(f.event("gantry monitor notifications sent rate", (now.notificationsSent() - before.notificationsSent()) / seconds,
        "notifications/s"));
    out.add(f.event("gantry monitor notifications failed rate", failed, "failed notifications/s")
        .withState(failed > 0 ? "warning" : "ok"));
    return out;
  }

  private static double rate(Map<String, Double> before, String key, double total, double seconds) {
    return Math.max(0, total - before.getOrDefault(key, 0.0)) / seconds;
  }

  private record Factory(String host, long timeMicros, float ttl) {
    Event event(String service, double metric, String description) {
      return Event.builder().host(host).service(service).state("ok").metric(metric).description(description)
          .tags("gantry").timeMicros(timeMicros).ttl(ttl).build();
    }
  }
}

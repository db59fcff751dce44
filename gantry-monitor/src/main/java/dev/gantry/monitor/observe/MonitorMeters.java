package dev.gantry.monitor.observe;

import dev.gantry.monitor.alert.Alert;
import dev.gantry.monitor.alert.Status;
import dev.gantry.monitor.history.SeriesHistory;
import dev.gantry.monitor.transport.Counters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's meters in the process's one registry (served at {@code /metrics}), and the
 * warnings about refused input (at most one per transport and reason every 10 s, naming the
 * peer). Series, in Prometheus names:
 *
 * <ul>
 *   <li>{@code gantry_monitor_events_received_total{transport}}</li>
 *   <li>{@code gantry_monitor_refused_total{transport,reason}}: malformed, oversized, overloaded</li>
 *   <li>{@code gantry_monitor_queue_events}, {@code gantry_monitor_index_size}</li>
 *   <li>{@code gantry_monitor_history_series}, {@code gantry_monitor_history_points},
 *       {@code gantry_monitor_history_bytes}: the charts' history as of the last tick</li>
 *   <li>{@code gantry_monitor_stream_latency_seconds} (histogram): batch queued to through the rules</li>
 *   <li>{@code gantry_monitor_alerts{state}}: pending, firing, silenced, resolved</li>
 *   <li>{@code gantry_monitor_notifications_total{result}}: sent, failed</li>
 * </ul>
 *
 * <pre>{@code
 * MonitorMeters meters = new MonitorMeters(registry, System::nanoTime);
 * meters.refused("tcp", Refusal.MALFORMED, peer, "field 2 truncated at byte 7");
 * }</pre>
 */
public final class MonitorMeters implements Counters {
  private static final Logger log = LoggerFactory.getLogger(MonitorMeters.class);
  private static final List<String> TRANSPORTS = List.of("tcp", "tls", "udp");
  private static final List<Double> QUANTILES = List.of(0.5, 0.99, 0.999);
  /** Alert states as reported; silenced counts the pending or firing alerts a silence mutes. */
  public static final List<String> ALERT_STATES = List.of("pending", "firing", "silenced", "resolved");

  private final MeterRegistry registry;
  private final LongSupplier nanoClock;
  private final WarnLimiter warnings;
  private final Map<String, Counter> received = new ConcurrentHashMap<>();
  private final Map<String, Counter> refused = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> alerts = new LinkedHashMap<>();
  private final Counter sent;
  private final Counter failed;
  private final Timer latency;
  private LongSupplier queue = () -> 0;
  private LongSupplier index = () -> 0;

  public MonitorMeters(MeterRegistry registry, LongSupplier nanoClock) {
    this.registry = registry;
    this.nanoClock = nanoClock;
    this.warnings = new WarnLimiter(Duration.ofSeconds(10).toNanos(), nanoClock);
    // every series exists from the start, at zero, so a dashboard sees "none" rather than "unknown"
    for (String t : TRANSPORTS) {
      receivedCounter(t);
      for (Refusal r : Refusal.values()) {
        refusedCounter(t, r);
      }
    }
    for (String s : ALERT_STATES) {
      AtomicLong n = new AtomicLong();
      alerts.put(s, n);
      Gauge.builder("gantry.monitor.alerts", n, AtomicLong::get).tag("state", s)
          .description("alerts by state").strongReference(true).register(registry);
    }
    sent = Counter.builder("gantry.monitor.notifications").tag("result", "sent").register(registry);
    failed = Counter.builder("gantry.monitor.notifications").tag("result", "failed").register(registry);
    latency = Timer.builder("gantry.monitor.stream.latency")
        .description("from a batch queued for the engine to its events through the index and the rules")
        .publishPercentileHistogram()
        .publishPercentiles(QUANTILES.stream().mapToDouble(Double::doubleValue).toArray())
        .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofSeconds(10))
        .distributionStatisticExpiry(Duration.ofMinutes(1)).distributionStatisticBufferLength(2)
        .register(registry);
  }

  /** Reports the engine's queue and the index's size as gauges. */
  public void gauges(LongSupplier queuedEvents, LongSupplier indexSize) {
    this.queue = queuedEvents;
    this.index = indexSize;
    Gauge.builder("gantry.monitor.queue.events", queuedEvents, LongSupplier::getAsLong)
        .description("events waiting for the rules").strongReference(true).register(registry);
    Gauge.builder("gantry.monitor.index.size", indexSize, LongSupplier::getAsLong)
        .description("indexed events").strongReference(true).register(registry);
  }

  /** Reports the history's series, points and bytes (as of its last prune) as gauges. */
  public void history(Supplier<SeriesHistory.Usage> usage) {
    Gauge.builder("gantry.monitor.history.series", usage, u -> u.get().series())
        .description("series kept for charts").strongReference(true).register(registry);
    Gauge.builder("gantry.monitor.history.points", usage, u -> u.get().points())
        .description("points kept for charts").strongReference(true).register(registry);
    Gauge.builder("gantry.monitor.history.bytes", usage, u -> u.get().bytes())
        .description("heap taken by the points kept for charts").baseUnit("bytes").strongReference(true).register(registry);
  }

  @Override
  public void received(String transport, int events) {
    receivedCounter(transport).increment(events);
  }

  @Override
  public void refused(String transport, Refusal reason, SocketAddress peer, String detail) {
    refusedCounter(transport, reason).increment();
    warnings.admit(transport + " " + reason.tag()).ifPresent(skipped -> log.warn(
        "monitor: refused {} input from {}: {} ({}){}", transport, peer == null ? "unknown peer" : peer, reason.tag(),
        detail, skipped == 0 ? "" : "; " + skipped + " more refused for this reason since the last warning"));
  }

  /** A batch went through the engine {@code nanos} after it was queued. */
  public void batchDone(long nanos) {
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void notificationSent() {
    sent.increment();
  }

  public void notificationFailed() {
    failed.increment();
  }

  /** Sets the alert gauges from the alert book's alerts; {@code silenced} tells whether a silence mutes one. */
  public void alerts(Collection<Alert> all, Predicate<Alert> silenced) {
    long pending = 0;
    long firing = 0;
    long muted = 0;
    long resolved = 0;
    for (Alert a : all) {
      if (a.status() == Status.RESOLVED) {
        resolved++;
      } else if (silenced.test(a)) {
        muted++;
      } else if (a.status() == Status.FIRING) {
        firing++;
      } else {
        pending++;
      }
    }
    alerts.get("pending").set(pending);
    alerts.get("firing").set(firing);
    alerts.get("silenced").set(muted);
    alerts.get("resolved").set(resolved);
  }

  /** The figures now, for {@link SelfEvents}. */
  public Readings readings() {
    Map<String, Double> in = new LinkedHashMap<>();
    received.forEach((t, c) -> in.put(t, c.count()));
    Map<String, Double> out = new LinkedHashMap<>();
    refused.forEach((k, c) -> out.merge(k.substring(k.indexOf(' ') + 1), c.count(), Double::sum));
    Map<String, Long> byState = new LinkedHashMap<>();
    alerts.forEach((s, n) -> byState.put(s, n.get()));
    Map<Double, Double> quantiles = new LinkedHashMap<>();
    for (ValueAtPercentile v : latency.takeSnapshot().percentileValues()) {
      quantiles.put(v.percentile(), v.value(TimeUnit.MILLISECONDS));
    }
    return new Readings(nanoClock.getAsLong(), in, out, sent.count(), failed.count(), queue.getAsLong(),
        index.getAsLong(), byState, quantiles);
  }

  private Counter receivedCounter(String transport) {
    return received.computeIfAbsent(transport, t -> Counter.builder("gantry.monitor.events.received")
        .tag("transport", t).description("events accepted").register(registry));
  }

  private Counter refusedCounter(String transport, Refusal reason) {
    return refused.computeIfAbsent(transport + " " + reason.tag(), k -> Counter.builder("gantry.monitor.refused")
        .tag("transport", transport).tag("reason", reason.tag()).description("messages refused").register(registry));
  }
}

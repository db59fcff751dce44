package dev.gantry.monitor.stream;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.monitor.alert.Receiver;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.query.Query;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The stream functions rules are written with, after Riemann's: each returns a
 * {@link StreamSpec} and takes its children last.
 *
 * <pre>{@code
 * import static dev.gantry.monitor.stream.Streams.*;
 *
 * StreamSpec slowApi = where("service = \"api latency\"",
 *     by(e -> e.host(), Duration.ofMinutes(10),
 *         percentiles(Duration.ofMinutes(1), new double[] {0.99},
 *             index(),
 *             thresholds(0.5, 1.0, alert("api-slow")))));
 * }</pre>
 */
public final class Streams {
  private Streams() {}

  /** Default cap on the partitions of one {@code by}. */
  public static final int MAX_PARTITIONS = 100_000;

  /** Passes the events for which {@code test} holds. */
  public static StreamSpec where(Predicate<Event> test, StreamSpec... children) {
    return Filters.where(test, children);
  }

  /** Passes the events matching a query such as {@code "service =~ \"df-%\""}. */
  public static StreamSpec where(String query, StreamSpec... children) {
    Query q = Query.parse(query);
    return Filters.where(q::matches, children);
  }

  /** Sends each event to the first branch whose test holds. */
  public static StreamSpec split(Split... branches) {
    return Filters.split(List.of(branches));
  }

  /** One copy of the children per key; a key idle for {@code idle} is forgotten with its state. */
  public static StreamSpec by(Function<Event, String> key, Duration idle, StreamSpec... children) {
    return Partitions.by(key, micros(idle), MAX_PARTITIONS, children);
  }

  /** {@link #by} on host and service. */
  public static StreamSpec byHostAndService(Duration idle, StreamSpec... children) {
    return Partitions.by(e -> new Partitions.HostService(e.host(), e.service()), micros(idle), MAX_PARTITIONS, children);
  }

  /** {@link #by} on host. */
  public static StreamSpec byHost(Duration idle, StreamSpec... children) {
    return by(Event::host, idle, children);
  }

  /** Passes events carrying {@code tag}. */
  public static StreamSpec tagged(String tag, StreamSpec... children) {
    return Filters.where(e -> e.tagged(tag), children);
  }

  /** Passes the events the index expired (state "expired"). */
  public static StreamSpec expired(StreamSpec... children) {
    return Filters.expired(children);
  }

  /** Sets {@code field} (host, service, state, description, metric, ttl or an attribute). */
  public static StreamSpec with(String field, Object value, StreamSpec... children) {
    return Filters.map(Filters.setField(field, value, false), children);
  }

  /** Sets {@code field} only on events that lack it. */
  public static StreamSpec withDefault(String field, Object value, StreamSpec... children) {
    return Filters.map(Filters.setField(field, value, true), children);
  }

  /** Rewrites each event; returning null drops it. */
  public static StreamSpec map(UnaryOperator<Event> f, StreamSpec... children) {
    return Filters.map(f, children);
  }

  /** Sets the state from the metric: "critical" at or above {@code critical}, "warning" at or above {@code warning}, else "ok". */
  public static StreamSpec thresholds(double warning, double critical, StreamSpec... children) {
    return Filters.map(e -> !e.hasMetric() ? null
        : e.withState(e.metricValue() >= critical ? "critical" : e.metricValue() >= warning ? "warning" : "ok"), children);
  }

  /** Every {@code interval}, the metrics received summed per second. */
  public static StreamSpec rate(Duration interval, StreamSpec... children) {
    return Rates.rate(micros(interval), children);
  }

  /** At most {@code n} events per {@code period}. */
  public static StreamSpec throttle(int n, Duration period, StreamSpec... children) {
    return Rates.throttle(n, micros(period), children);
  }

  /** The first {@code n} events per {@code period}, then one summary event for the rest. */
  public static StreamSpec rollup(int n, Duration period, StreamSpec... children) {
    return Rates.rollup(n, micros(period), children);
  }

  /** Only events whose state differs from the previous one's (the first passes). */
  public static StreamSpec changedState(StreamSpec... children) {
    return StateChanges.changedState(null, children);
  }

  /** Only state changes, starting from {@code initial} (so an initial "ok" does not pass). */
  public static StreamSpec changedState(String initial, StreamSpec... children) {
    return StateChanges.changedState(initial, children);
  }

  /** Drops events older than the newest one already passed (late duplicates); use inside {@link #by}. */
  public static StreamSpec latest(StreamSpec... children) {
    return StateChanges.latest(children);
  }

  /** Only events whose state held for {@code dt}: suppresses flapping. */
  public static StreamSpec stable(Duration dt, StreamSpec... children) {
    return StateChanges.stable(micros(dt), 1000, children);
  }

  /** Every {@code dt}, the fold of the latest event of each (host, service). */
  public static StreamSpec coalesce(Duration dt, Function<List<Event>, Event> fold, StreamSpec... children) {
    return Windows.coalesce(micros(dt), fold, children);
  }

  /** On each event, the fold of the last {@code n} events. */
  public static StreamSpec movingWindow(int n, Function<List<Event>, Event> fold, StreamSpec... children) {
    return Windows.movingWindow(n, fold, children);
  }

  /** On each event, the fold of the events of the last {@code dt}. */
  public static StreamSpec movingTimeWindow(Duration dt, Function<List<Event>, Event> fold, StreamSpec... children) {
    return Windows.movingTimeWindow(micros(dt), fold, children);
  }

  /** Every {@code n} events, their fold. */
  public static StreamSpec fixedWindow(int n, Function<List<Event>, Event> fold, StreamSpec... children) {
    return Windows.fixedWindow(n, fold, children);
  }

  /** At the end of every {@code dt}, the fold of its events. */
  public static StreamSpec fixedTimeWindow(Duration dt, Function<List<Event>, Event> fold, StreamSpec... children) {
    return Windows.fixedTimeWindow(micros(dt), fold, children);
  }

  /**
   * Every {@code dt}, one event per quantile, service {@code "<service> <q>"}. The first
   * interval is longer, by a phase of less than {@code dt} hashed from the node's place in
   * the rule, so that the partitions one batch opens (a window per host) do not all close on
   * the same tick.
   */
  public static StreamSpec percentiles(Duration dt, double[] quantiles, StreamSpec... children) {
    return Windows.percentiles(micros(dt), quantiles.clone(), children);
  }

  /** Exponentially weighted moving average of the metric with weight {@code r}. */
  public static StreamSpec ewma(double r, StreamSpec... children) {
    return Forecasts.ewma(r, children);
  }

  /** Adds attribute {@code seconds_to_limit}: when the metric's trend over {@code window} reaches {@code limit}. */
  public static StreamSpec predictLinear(Duration window, double limit, StreamSpec... children) {
    return Forecasts.predictLinear(micros(window), limit, children);
  }

  /** The attribute {@link #predictLinear} sets. */
  public static final String SECONDS_TO_LIMIT = Forecasts.SECONDS_TO_LIMIT;

  /** Puts events into the index (queries, dashboard, expiry). */
  public static StreamSpec index() {
    return Outputs.index();
  }

  /** Raises alert {@code name}: state "ok" ends it, any other state is its severity. */
  public static StreamSpec alert(String name) {
    return Outputs.alert(name, Duration.ZERO);
  }

  /** Like {@link #alert(String)}, firing only once active for {@code forDuration}. */
  public static StreamSpec alert(String name, Duration forDuration) {
    return Outputs.alert(name, forDuration);
  }

  /** Sends every event as a notification, Riemann's {@code notify} (combine with throttle or rollup). */
  public static StreamSpec notifyEach(Receiver... receivers) {
    return Outputs.deliver(List.of(receivers));
  }

  /** Forwards events to another Riemann-protocol server over TCP, batched. */
  public static StreamSpec forward(String host, int port) {
    return Outputs.forward(host, port);
  }

  /** Hands events to {@code consumer} (tests, adapters). */
  public static StreamSpec sink(Consumer<Event> consumer) {
    return Outputs.sink(consumer);
  }

  private static long micros(Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new DefinitionError("duration must be positive, got " + d);
    }
    return d.toNanos() / 1000;
  }
}

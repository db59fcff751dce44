package dev.gantry.monitor.rules;

import dev.gantry.core.definition.DefinitionError;
import static dev.gantry.monitor.stream.Streams.alert;
import static dev.gantry.monitor.stream.Streams.byHostAndService;
import static dev.gantry.monitor.stream.Streams.index;
import static dev.gantry.monitor.stream.Streams.latest;
import static dev.gantry.monitor.stream.Streams.map;
import static dev.gantry.monitor.stream.Streams.percentiles;
import static dev.gantry.monitor.stream.Streams.predictLinear;
import static dev.gantry.monitor.stream.Streams.where;

import dev.gantry.monitor.alert.Alert;
import dev.gantry.monitor.alert.Condition;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.index.Index;
import dev.gantry.monitor.stream.Stream;
import dev.gantry.monitor.stream.StreamSpec;
import dev.gantry.monitor.stream.Streams;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Rules for what the seed's setup watched: full disks, hosts gone silent, HTTP errors and
 * latency.
 *
 * <pre>{@code
 * import static dev.gantry.monitor.rules.BuiltinRules.*;
 * i.add(Monitoring.rules().rule(diskFull(90)).rule(hostDown(Duration.ofMinutes(2))).sendTo(slack));
 * }</pre>
 */
public final class BuiltinRules {
  private BuiltinRules() {}

  private static final String DF_PREFIX = "df-";
  private static final String DF_SUFFIX = "/percent_bytes-used";

  /** How long disk usage is watched for the time-to-full forecast. */
  static final Duration FORECAST_WINDOW = Duration.ofHours(6);

  /**
   * Alert "disk-full" (critical) while a filesystem is at least {@code percent} used, per
   * host and mount, from collectd's df plugin. The summary gives the time to full from a
   * linear forecast over the last 6 hours.
   */
  public static Rule diskFull(double percent) {
    return diskFull(percent, null);
  }

  /**
   * Like {@link #diskFull(double)}, and also "warning" when the forecast says the disk
   * fills within {@code fullWithin} although it is below the threshold.
   */
  public static Rule diskFull(double percent, Duration fullWithin) {
    if (!(percent > 0 && percent <= 100)) {
      throw new DefinitionError("diskFull: threshold " + percent + " is not a percentage in (0, 100]");
    }
    // a plain test, no regex: this runs for every event
    StreamSpec spec = where(e -> e.hasMetric() && isDfUsed(e.service()),
        byHostAndService(Duration.ofHours(1),
            latest(
                predictLinear(FORECAST_WINDOW, 100,
                    map(e -> diskState(e, percent, fullWithin),
                        alert("disk-full"))))));
    return Rule.of("disk-full", spec);
  }

  /** collectd's df plugin with {@code ValuesPercentage true}: {@code df-<mount>/percent_bytes-used}. */
  static boolean isDfUsed(String service) {
    return service != null && service.length() > DF_PREFIX.length() + DF_SUFFIX.length()
        && service.startsWith(DF_PREFIX) && service.endsWith(DF_SUFFIX);
  }

  static Event diskState(Event e, double percent, Duration fullWithin) {
    double used = e.metricValue();
    String secs = e.attribute(Streams.SECONDS_TO_LIMIT);
    Long toFull = secs == null ? null : Long.parseLong(secs);
    String mount = isDfUsed(e.service())
        ? e.service().substring(DF_PREFIX.length(), e.service().length() - DF_SUFFIX.length()) : e.service();
    String state;
    if (used >= percent) {
      state = "critical";
    } else if (fullWithin != null && toFull != null && toFull <= fullWithin.toSeconds()) {
      state = "warning";
    } else {
      state = "ok";
    }
    // built by hand: this runs for every df event, String.format costs more than the rest
    String summary = "filesystem " + mount + " is " + oneDecimal(used) + "% full (threshold " + Math.round(percent) + "%)"
        + (toFull == null ? "" : toFull == 0 ? ", full now" : ", full in about " + human(toFull));
    return e.withState(state).withDescription(summary);
  }

  static String oneDecimal(double v) {
    long tenths = Math.round(v * 10);
    return (tenths < 0 ? "-" : "") + Math.abs(tenths) / 10 + "." + Math.abs(tenths) % 10;
  }

  static String human(long seconds) {
    if (seconds < 120) {
      return seconds + " s";
    }
    if (seconds < 7200) {
      return (seconds / 60) + " min";
    }
    if (seconds < 3 * 86400) {
      return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min";
    }
    return (seconds / 86400) + " days";
  }

  /** Hosts whose every event expired, for the alert book (kept across reloads). */
  static final class Down {
    final Set<String> hosts = new HashSet<>();
  }

  /**
   * Alert "host-down", one per host (not per service): a host is down when all of its
   * indexed events expired (their TTL passed without news); the alert fires once the host
   * stayed down for {@code grace} and resolves on the host's next event.
   */
  public static Rule hostDown(Duration grace) {
    if (grace.isNegative()) {
      throw new DefinitionError("hostDown: grace " + grace + " is negative");
    }
    StreamSpec spec = ctx -> new Stream() {
      private final Down down = ctx.state("down", Down.class, () -> {
        Down d = new Down();
        for (Alert a : ctx.openAlerts("host-down")) {
          d.hosts.add(a.host());
        }
        return d;
      });

      @Override
      public void accept(Event e) {
        String host = e.host();
        if (host == null || host.isBlank()) {
          return;
        }
        if (Index.EXPIRED.equals(e.state())) {
          if (ctx.index().countForHost(host) == 0 && down.hosts.add(host)) {
            ctx.condition(new Condition("host-down", host, null, true, "critical",
                "no events from " + host + ": all of its services expired", null, grace));
          }
        } else if (down.hosts.remove(host)) {
          ctx.condition(new Condition("host-down", host, null, false, null,
              host + " sends events again (" + e.service() + ")", null, grace));
        }
      }
    };
    return Rule.of("host-down", spec);
  }

  /**
   * Alert "http-errors" when, over each {@code window}, more than {@code maxRatio} of an
   * application's requests answered 5xx (at least 10 requests). Request events carry tag
   * "http" and attribute "status"; the ratio is indexed as {@code "<service> error ratio"}.
   * Only counts are kept, so memory does not grow with the request rate.
   */
  public static Rule httpErrorRate(double maxRatio, Duration window) {
    if (!(maxRatio >= 0 && maxRatio <= 1)) {
      throw new DefinitionError("httpErrorRate: ratio " + maxRatio + " is not between 0 and 1");
    }
    long windowMicros = window.toNanos() / 1000;
    StreamSpec spec = where(e -> e.tagged("http") && e.attribute("status") != null && !expired(e),
        byHostAndService(Duration.ofHours(1),
            ctx -> new Stream() {
              private final Stream out = index().build(ctx.child("0"));
              private final Stream alert = map(e -> errorState(e, maxRatio), alert("http-errors")).build(ctx.child("1"));
              private final Counts c = ctx.state("counts", Counts.class, Counts::new);

              @Override
              public void accept(Event e) {
                if (c.start == Long.MIN_VALUE) {
                  c.start = ctx.nowMicros();
                }
                c.total++;
                if (e.attribute("status").startsWith("5")) {
                  c.errors++;
                }
                c.last = e;
              }

              @Override
              public void tick(long now) {
                if (c.start != Long.MIN_VALUE && now - c.start >= windowMicros) {
                  Event ratio = errorRatio(c.last, c.total, c.errors);
                  c.start = now;
                  c.total = 0;
                  c.errors = 0;
                  out.accept(ratio);
                  alert.accept(ratio);
                }
              }
            }));
    return Rule.of("http-errors", spec);
  }

  /**
   * A request event leaving the index: the same request again, with its old metric and
   * status, so the request rules leave it out (counted, it made every request count twice,
   * and as a window's last event its state "expired" took the window's figure out of the index).
   */
  static boolean expired(Event e) {
    return Index.EXPIRED.equals(e.state());
  }

  /** Requests and 5xx answers of the current window; numbers only, whatever the rate. */
  static final class Counts {
    long start = Long.MIN_VALUE;
    long total;
    long errors;
    Event last;
  }

  static Event errorState(Event e, double maxRatio) {
    long requests = Long.parseLong(e.attribute("requests"));
    boolean bad = requests >= 10 && e.metricValue() > maxRatio;
    return e.withState(bad ? "critical" : "ok").withDescription(String.format(Locale.ROOT,
        "%.1f%% of %d requests failed with 5xx (limit %.1f%%)", 100 * e.metricValue(), requests, 100 * maxRatio));
  }

  static Event errorRatio(Event last, long total, long errors) {
    String service = (last.service() == null ? "http" : last.service()) + " error ratio";
    return Event.builder().host(last.host()).service(service).timeMicros(last.timeMicros())
        .metric(total == 0 ? 0.0 : (double) errors / total).attribute("requests", Long.toString(total))
        .ttl(last.hasTtl() ? last.ttl() : Float.NaN).build();
  }

  /**
   * Alert "http-latency" when the {@code quantile} (e.g. 0.99) of request latencies over
   * each {@code window} exceeds {@code limit}. Request events carry tag "http" and their
   * latency in milliseconds as metric; the quantile is indexed as {@code "<service> 0.99"}.
   */
  public static Rule httpLatency(double quantile, Duration limit, Duration window) {
    double limitMs = limit.toNanos() / 1e6;
    StreamSpec spec = where(e -> e.tagged("http") && e.hasMetric() && !expired(e),
        byHostAndService(Duration.ofHours(1),
            percentiles(window, new double[] {quantile},
                index(),
                map(e -> e.withState(e.metricValue() > limitMs ? "critical" : "ok").withDescription(String.format(Locale.ROOT,
                        "%s is %.1f ms (limit %.1f ms)", e.service(), e.metricValue(), limitMs)),
                    alert("http-latency")))));
    return Rule.of("http-latency", spec);
  }

  /**
   * Alert "probe-failed" while an HTTP probe fails (state critical) or its TLS certificate
   * is close to expiry (warning), per probe.
   */
  public static Rule probeFailures() {
    return Rule.of("probe-failed", where(e -> e.tagged("probe"), alert("probe-failed")));
  }

  /** The built-in rules with defaults, as {@code ./gantry up} turns them on. */
  public static Monitoring defaults() {
    return Monitoring.rules()
        .rule(diskFull(90, Duration.ofHours(24)))
        .rule(hostDown(Duration.ofMinutes(2)))
        .rule(httpErrorRate(0.05, Duration.ofMinutes(1)))
        .rule(httpLatency(0.99, Duration.ofMillis(500), Duration.ofMinutes(1)))
        .rule(probeFailures());
  }
}

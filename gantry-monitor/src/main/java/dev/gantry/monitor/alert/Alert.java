package dev.gantry.monitor.alert;

import dev.gantry.monitor.client.Event;
import java.time.Instant;

/**
 * One alert as the alert book tracks it; replaced (never mutated) on every change.
 *
 * @param route the rule that raised it; its declaration decides receivers and policy
 * @param lastNotified when a firing notification last went out, or null if none did
 * @param resolveNotified true once the resolve notification went out
 */
public record Alert(String name, String host, String service, String route, Status status, String severity,
    String summary, Double metric, Instant activeSince, Instant firingSince, Instant resolvedAt,
    Instant lastNotified, boolean resolveNotified, long forMillis) {

  /** The identity of an alert: name, host and service. */
  public String fingerprint() {
    return fingerprint(name, host, service);
  }

  static String fingerprint(String name, String host, String service) {
    return name + "\u0000" + (host == null ? "" : host) + "\u0000" + (service == null ? "" : service);
  }

  /** The alert seen as an event, so silences use the query language: alertname, host, service, state. */
  public Event asEvent() {
    Event.Builder b = Event.builder().host(host).service(service).state(severity).description(summary)
        .attribute("alertname", name).attribute("status", status.name().toLowerCase(java.util.Locale.ROOT))
        .attribute("rule", route);
    if (metric != null) {
      b.metric(metric);
    }
    return b.build();
  }

  Alert with(Status s, Instant firing, Instant resolved) {
    return new Alert(name, host, service, route, s, severity, summary, metric, activeSince, firing, resolved,
        lastNotified, resolveNotified, forMillis);
  }

  Alert notified(Instant at) {
    return new Alert(name, host, service, route, status, severity, summary, metric, activeSince, firingSince,
        resolvedAt, at, resolveNotified, forMillis);
  }

  Alert resolveSent() {
    return new Alert(name, host, service, route, status, severity, summary, metric, activeSince, firingSince,
        resolvedAt, lastNotified, true, forMillis);
  }

  Alert describedAs(String newSeverity, String newSummary, Double newMetric) {
    return new Alert(name, host, service, route, status, newSeverity, newSummary, newMetric, activeSince,
        firingSince, resolvedAt, lastNotified, resolveNotified, forMillis);
  }
}

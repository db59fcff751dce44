package dev.gantry.monitor.alert;

import java.time.Duration;
import java.util.Objects;

/**
 * What a rule says about one alert at one moment: active (the problem is there) or not.
 * The alert book turns a stream of conditions into pending, firing and resolved alerts.
 *
 * @param alert the alert's name, e.g. {@code "disk-full"}
 * @param host the host concerned (a label of the alert)
 * @param service the service concerned, or null for host-wide alerts
 * @param active true while the problem holds
 * @param severity e.g. "warning" or "critical"
 * @param summary one line for people
 * @param metric the value behind it, or null
 * @param forDuration how long it must stay active before it fires
 */
public record Condition(String alert, String host, String service, boolean active, String severity,
    String summary, Double metric, Duration forDuration) {
  public Condition {
    Objects.requireNonNull(alert, "alert");
    forDuration = forDuration == null ? Duration.ZERO : forDuration;
    severity = severity == null ? "critical" : severity;
  }
}

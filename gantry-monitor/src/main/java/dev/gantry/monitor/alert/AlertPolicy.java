package dev.gantry.monitor.alert;

import java.time.Duration;
import java.util.List;

/**
 * How the alerts of a set of rules are notified.
 *
 * @param receivers where notifications go
 * @param groupByHost true: one notification per alert name and host; false: per alert name
 * @param groupWait how long to wait for more alerts of a group before the first notification
 * @param repeatInterval how often a still-firing group is notified again
 * @param sendResolved whether the end of an alert is notified
 */
public record AlertPolicy(List<Receiver> receivers, boolean groupByHost, Duration groupWait, Duration repeatInterval,
    boolean sendResolved) {
  public static final AlertPolicy DEFAULT = new AlertPolicy(List.of(), true, Duration.ofSeconds(5), Duration.ofHours(4), true);

  public AlertPolicy {
    receivers = List.copyOf(receivers);
    if (groupWait.isNegative() || repeatInterval.isNegative() || repeatInterval.isZero()) {
      throw new IllegalArgumentException("group wait must be >= 0 and the repeat interval > 0");
    }
  }
}

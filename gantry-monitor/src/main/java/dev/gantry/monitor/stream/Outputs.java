package dev.gantry.monitor.stream;

import dev.gantry.monitor.alert.Condition;
import dev.gantry.monitor.alert.Receiver;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.index.Index;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Where streams end: the index, alerts, notifications, another server, a consumer. */
final class Outputs {
  private Outputs() {}

  static StreamSpec index() {
    return ctx -> e -> ctx.index().put(e);
  }

  /**
   * Turns events into alert conditions: state "ok" ends the alert, any other state (its
   * severity) makes it active; events without a state or expired are ignored.
   */
  static StreamSpec alert(String name, Duration forDuration) {
    return ctx -> e -> {
      String state = e.state();
      if (state == null || Index.EXPIRED.equals(state)) {
        return;
      }
      boolean active = !"ok".equals(state);
      ctx.condition(new Condition(name, e.host(), e.service(), active, active ? state : null, summary(e),
          e.hasMetric() ? e.metricValue() : null, forDuration));
    };
  }

  static String summary(Event e) {
    if (e.description() != null && !e.description().isBlank()) {
      return e.description();
    }
    return (e.service() == null ? "" : e.service()) + (e.hasMetric() ? " = " + e.metric() : "");
  }

  static StreamSpec deliver(List<Receiver> receivers) {
    return ctx -> e -> ctx.deliver(receivers, e);
  }

  static StreamSpec forward(String host, int port) {
    return ctx -> e -> ctx.forward(host, port, e);
  }

  static StreamSpec sink(Consumer<Event> consumer) {
    return ctx -> consumer::accept;
  }
}

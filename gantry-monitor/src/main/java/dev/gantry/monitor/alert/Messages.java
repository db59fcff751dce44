package dev.gantry.monitor.alert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The words of alert notifications. */
final class Messages {
  private Messages() {}

  static AlertMessage firing(List<Alert> firing) {
    Alert first = firing.get(0);
    String title = (firing.size() == 1 ? "FIRING " : "FIRING (" + firing.size() + ") ") + first.name() + on(first);
    return new AlertMessage(title, lines(firing), AlertMessage.Kind.FIRING, null, fields(first));
  }

  static AlertMessage resolved(List<Alert> resolved) {
    Alert first = resolved.get(0);
    String title = (resolved.size() == 1 ? "RESOLVED " : "RESOLVED (" + resolved.size() + ") ") + first.name() + on(first);
    return new AlertMessage(title, lines(resolved), AlertMessage.Kind.RESOLVED, null, fields(first));
  }

  private static String on(Alert a) {
    return a.host() == null ? "" : " on " + a.host();
  }

  private static String lines(List<Alert> alerts) {
    StringBuilder sb = new StringBuilder();
    for (Alert a : alerts) {
      if (!sb.isEmpty()) {
        sb.append('\n');
      }
      sb.append("• ").append(a.host() == null ? "" : a.host());
      if (a.service() != null) {
        sb.append(' ').append(a.service());
      }
      sb.append(" [").append(a.severity()).append("]");
      if (a.summary() != null && !a.summary().isBlank()) {
        sb.append(": ").append(a.summary());
      }
    }
    return sb.toString();
  }

  private static Map<String, String> fields(Alert a) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("alert", a.name());
    if (a.host() != null) {
      f.put("host", a.host());
    }
    if (a.service() != null) {
      f.put("service", a.service());
    }
    f.put("severity", a.severity());
    if (a.metric() != null) {
      f.put("value", String.format(java.util.Locale.ROOT, "%.2f", a.metric()));
    }
    return f;
  }
}

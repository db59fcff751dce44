package dev.gantry.monitor.query;

import dev.gantry.monitor.client.Event;

/** Reads an event's field by its query-language name; unknown names are custom attributes. */
final class Fields {
  private Fields() {}

  static Object get(Event e, String field) {
    return switch (field) {
      case "host" -> e.host();
      case "service" -> e.service();
      case "state" -> e.state();
      case "description" -> e.description();
      case "metric", "metric_f", "metric_d", "metric_sint64" -> e.metric();
      case "time" -> e.timeMicros() / 1_000_000.0;
      case "time_micros" -> e.timeMicros();
      case "ttl" -> e.hasTtl() ? (Object) (double) e.ttl() : null;
      default -> e.attribute(field);
    };
  }

  static Double number(Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  static String string(Object v) {
    if (v == null) {
      return null;
    }
    return v instanceof Number n ? format(n) : v.toString();
  }

  /** Integral values print without a fraction, so {@code metric =~ "4%"} matches 42. */
  static String format(Number n) {
    if (n instanceof Long || n instanceof Integer) {
      return n.toString();
    }
    double d = n.doubleValue();
    return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}

package dev.gantry.host.remote;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON line the runtime on a host prints while applying properties: {@link Start}
 * (how many), {@link Outcome} (one property), {@link Done}, or {@link Failure} (nothing
 * was applied, e.g. the lock is held or the definition does not load). On the wire each is
 * an object with a {@code type} of {@code start}, {@code result}, {@code done} or {@code error}.
 *
 * <pre>{@code
 * switch (RemoteEvent.fromJson(line)) {
 *   case RemoteEvent.Start s -> total = s.count();
 *   case RemoteEvent.Outcome o -> show(o);
 *   case RemoteEvent.Failure f -> errors.add(f.message());
 *   case RemoteEvent.Done d -> done = true;
 * }
 * }</pre>
 */
public sealed interface RemoteEvent {
  record Start(int count) implements RemoteEvent {}

  record Outcome(int index, String describe, String status, String message, String diff, long millis)
      implements RemoteEvent {}

  record Failure(String message) implements RemoteEvent {}

  record Done() implements RemoteEvent {}

  /** One line of JSON. */
  default String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    switch (this) {
      case Start s -> {
        m.put("type", "start");
        m.put("count", (long) s.count());
      }
      case Outcome o -> {
        m.put("type", "result");
        m.put("index", (long) o.index());
        m.put("describe", o.describe());
        m.put("status", o.status());
        m.put("message", o.message());
        m.put("diff", o.diff());
        m.put("millis", o.millis());
      }
      case Failure f -> {
        m.put("type", "error");
        m.put("message", f.message());
      }
      case Done d -> m.put("type", "done");
    }
    return Wire.write(m);
  }

  /** Reads one line; an {@link IllegalArgumentException} when it is not an event. */
  static RemoteEvent fromJson(String line) {
    Map<String, Object> m = Wire.object(Wire.parse(line));
    if (!(m.get("type") instanceof String type)) {
      throw new IllegalArgumentException("not an event: no type");
    }
    return switch (type) {
      case "start" -> new Start(number(m, "count").intValue());
      case "result" -> new Outcome(number(m, "index").intValue(), text(m, "describe"), text(m, "status"),
          text(m, "message"), text(m, "diff"), number(m, "millis").longValue());
      case "error" -> new Failure(text(m, "message"));
      case "done" -> new Done();
      default -> throw new IllegalArgumentException("not an event: type " + type);
    };
  }

  private static Number number(Map<String, Object> m, String key) {
    if (m.get(key) instanceof Number n) {
      return n;
    }
    throw new IllegalArgumentException("event without a number '" + key + "'");
  }

  private static String text(Map<String, Object> m, String key) {
    return m.get(key) instanceof String s ? s : "";
  }
}

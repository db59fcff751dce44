package dev.gantry.host.remote;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON line the runtime on a host prints while applying properties:
 * {@code start} (how many), {@code result} (one property), {@code done}, or {@code error}
 * (nothing was applied, e.g. the lock is held or the definition does not load).
 */
public record RemoteEvent(String type, Integer count, Integer index, String describe, String status, String message,
                          String diff, Long millis) {
  public static RemoteEvent start(int count) {
    return new RemoteEvent("start", count, null, null, null, null, null, null);
  }

  public static RemoteEvent done() {
    return new RemoteEvent("done", null, null, null, null, null, null, null);
  }

  public static RemoteEvent error(String message) {
    return new RemoteEvent("error", null, null, null, null, message, null, null);
  }

  /** One line of JSON, without the fields that are not set. */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    put(m, "count", count == null ? null : (long) count);
    put(m, "index", index == null ? null : (long) index);
    put(m, "describe", describe);
    put(m, "status", status);
    put(m, "message", message);
    put(m, "diff", diff);
    put(m, "millis", millis);
    return Wire.write(m);
  }

  /** Reads one line; an {@link IllegalArgumentException} when it is not an event. */
  public static RemoteEvent fromJson(String line) {
    Map<String, Object> m = Wire.object(Wire.parse(line));
    if (!(m.get("type") instanceof String t)) {
      throw new IllegalArgumentException("not an event: no type");
    }
    return new RemoteEvent(t, integer(m.get("count")), integer(m.get("index")), (String) m.get("describe"),
        (String) m.get("status"), (String) m.get("message"), (String) m.get("diff"),
        m.get("millis") instanceof Number n ? n.longValue() : null);
  }

  private static Integer integer(Object o) {
    return o instanceof Number n ? n.intValue() : null;
  }

  private static void put(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}

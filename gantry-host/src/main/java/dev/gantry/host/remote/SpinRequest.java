package dev.gantry.host.remote;

import java.util.List;
import java.util.Map;

/**
 * What the spin sends to the runtime on a host, as one JSON document on stdin: the host's
 * name, dry-run or not, the compiled definition (class name to base64 class file), the
 * secrets this host's properties use and the addresses of the other hosts they name
 * ({@code peers}). Never written to the host's disk.
 */
public record SpinRequest(int version, String host, boolean dryRun, String definitionClass,
                          Map<String, String> classes, List<SecretValue> secrets, int lockWaitSeconds,
                          Map<String, String> peers) {
  public static final int VERSION = 1;

  public SpinRequest {
    peers = Map.copyOf(peers);
  }

  /** This request as one line of JSON. */
  public String toJson() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("version", (long) version);
    m.put("host", host);
    m.put("dryRun", dryRun);
    m.put("definitionClass", definitionClass);
    m.put("classes", new java.util.LinkedHashMap<String, Object>(classes));
    List<Object> s = new java.util.ArrayList<>();
    for (SecretValue v : secrets) {
      Map<String, Object> e = new java.util.LinkedHashMap<>();
      e.put("field", v.field());
      e.put("context", v.context());
      e.put("value", v.value());
      s.add(e);
    }
    m.put("secrets", s);
    m.put("lockWaitSeconds", (long) lockWaitSeconds);
    m.put("peers", new java.util.LinkedHashMap<String, Object>(peers));
    return Wire.write(m);
  }

  /** Reads a request; an {@link IllegalArgumentException} says what is wrong. */
  public static SpinRequest fromJson(String json) {
    Map<String, Object> m = Wire.object(Wire.parse(json));
    Map<String, String> classes = new java.util.LinkedHashMap<>();
    Wire.object(m.get("classes")).forEach((k, v) -> classes.put(k, (String) v));
    Map<String, String> peers = new java.util.LinkedHashMap<>();
    if (m.get("peers") != null) {
      Wire.object(m.get("peers")).forEach((k, v) -> peers.put(k, (String) v));
    }
    List<SecretValue> secrets = new java.util.ArrayList<>();
    if (m.get("secrets") instanceof List<?> l) {
      for (Object o : l) {
        Map<String, Object> e = Wire.object(o);
        secrets.add(new SecretValue((String) e.get("field"), (String) e.get("context"), (String) e.get("value")));
      }
    }
    return new SpinRequest(((Number) m.get("version")).intValue(), (String) m.get("host"),
        Boolean.TRUE.equals(m.get("dryRun")), (String) m.get("definitionClass"), classes, secrets,
        m.get("lockWaitSeconds") instanceof Number n ? n.intValue() : 60, peers);
  }

  /** One vault entry sent for a property. */
  public record SecretValue(String field, String context, String value) {
    @Override
    public String toString() {
      return "SecretValue[" + field + "@" + context + "]";
    }
  }
}

package dev.gantry.monitor.alert;

import java.util.Map;

/**
 * A notification about alerts, for a {@link Receiver}: a title, a text, whether it
 * announces a problem or its end, a link, and fields (host, value, ...).
 */
public record AlertMessage(String title, String text, Kind kind, String url, Map<String, String> fields) {
  public enum Kind { FIRING, RESOLVED, INFO }

  public AlertMessage {
    fields = fields == null ? Map.of() : Map.copyOf(fields);
  }
}

package dev.gantry.core.notify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A message for people: a build result, an alert, a deployment.
 *
 * <pre>{@code
 * var n = new Notification("capital: build failed", "integration-test failed on agent linux-1",
 *     Notification.Level.FAILURE, "http://ci.example.com/runs/42",
 *     Map.of("commit", "abc123f", "author", "arnaud"));
 * notifier.send(n);
 * }</pre>
 *
 * @param title one line
 * @param text the details (may be empty)
 * @param level how good or bad the news is; chooses colour and subject prefix
 * @param url a link to more, or null
 * @param fields short facts shown as a table, in the given order
 */
public record Notification(String title, String text, Level level, String url, Map<String, String> fields) {

  /** How good or bad the news is. */
  public enum Level { INFO, SUCCESS, WARNING, FAILURE }

  public Notification {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(level, "level");
    text = text == null ? "" : text;
    Map<String, String> copy = new LinkedHashMap<>();
    if (fields != null) {
      fields.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "field name"), v == null ? "" : v));
    }
    fields = Collections.unmodifiableMap(copy);
  }

  /** A notification with only a title, text and level. */
  public static Notification of(Level level, String title, String text) {
    return new Notification(title, text, level, null, Map.of());
  }

  public Notification withUrl(String link) {
    return new Notification(title, text, level, link, fields);
  }

  public Notification withField(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(fields);
    more.put(name, value);
    return new Notification(title, text, level, url, more);
  }
}

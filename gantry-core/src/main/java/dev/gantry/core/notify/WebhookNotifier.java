package dev.gantry.core.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.core.json.Json;
import java.net.URI;

/**
 * Posts the notification as plain JSON to any URL:
 * {@code {"title":..., "text":..., "level":"FAILURE", "url":..., "fields":{...}}}.
 *
 * <pre>{@code
 * Notifier hook = new WebhookNotifier(URI.create("https://chat.example.com/hooks/abc"));
 * }</pre>
 */
public final class WebhookNotifier extends HttpNotifier {

  public WebhookNotifier(URI url) {
    this(url, RetryPolicy.DEFAULT);
  }

  public WebhookNotifier(URI url, RetryPolicy retry) {
    this(url, retry, DEFAULT_CAPACITY);
  }

  /** With a queue of {@code capacity} notifications; more are dropped while the receiver is away. */
  public WebhookNotifier(URI url, RetryPolicy retry, int capacity) {
    super("webhook", url, retry, capacity);
  }

  @Override
  protected String body(Notification n) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("title", n.title());
    root.put("text", n.text());
    root.put("level", n.level().name());
    root.put("url", n.url());
    ObjectNode fields = root.putObject("fields");
    n.fields().forEach(fields::put);
    return Json.write(root);
  }
}

package dev.gantry.core.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.core.json.Json;
import java.net.URI;
import java.util.Map;

/**
 * Posts to a Slack incoming webhook: the title as the message text, and an attachment
 * coloured by level with the details, the link and the fields.
 *
 * <pre>{@code
 * Notifier slack = new SlackNotifier(URI.create(config.get(SLACK_WEBHOOK).reveal()));
 * }</pre>
 */
public final class SlackNotifier extends HttpNotifier {

  public SlackNotifier(URI webhook) {
    this(webhook, RetryPolicy.DEFAULT);
  }

  public SlackNotifier(URI webhook, RetryPolicy retry) {
    this(webhook, retry, DEFAULT_CAPACITY);
  }

  /** With a queue of {@code capacity} notifications; more are dropped while the receiver is away. */
  public SlackNotifier(URI webhook, RetryPolicy retry, int capacity) {
    super("slack", webhook, retry, capacity);
  }

  @Override
  protected String body(Notification n) {
    return Json.write(payload(n));
  }

  /** The message as Slack's incoming-webhook JSON. */
  static ObjectNode payload(Notification n) {
    ObjectNode root = Json.mapper().createObjectNode();
    String heading = "[" + n.level() + "] " + n.title();
    root.put("text", escape(heading));
    ObjectNode attachment = root.putArray("attachments").addObject();
    attachment.put("color", colour(n.level()));
    attachment.put("fallback", escape(heading + (n.text().isEmpty() ? "" : ": " + n.text())));
    attachment.put("title", escape(n.title()));
    if (n.url() != null) {
      attachment.put("title_link", n.url());
    }
    if (!n.text().isEmpty()) {
      attachment.put("text", escape(n.text()));
    }
    if (!n.fields().isEmpty()) {
      ArrayNode fields = attachment.putArray("fields");
      for (Map.Entry<String, String> f : n.fields().entrySet()) {
        fields.addObject().put("title", escape(f.getKey())).put("value", escape(f.getValue())).put("short", true);
      }
    }
    return root;
  }

  static String colour(Notification.Level level) {
    return switch (level) {
      case INFO -> "#439FE0";
      case SUCCESS -> "#2EB886";
      case WARNING -> "#DAA038";
      case FAILURE -> "#A30200";
    };
  }

  /** Slack reads &, < and > as markup; these three must be escaped, nothing else. */
  static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}

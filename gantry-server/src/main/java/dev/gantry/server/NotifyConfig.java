package dev.gantry.server;

import dev.gantry.core.config.Config;
import dev.gantry.core.config.Secret;
import dev.gantry.core.config.Setting;
import dev.gantry.core.config.Settings;
import dev.gantry.core.notify.Notifier;
import dev.gantry.core.notify.SlackNotifier;
import dev.gantry.core.notify.WebhookNotifier;
import dev.gantry.core.UserError;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the server's capabilities send their messages: a Slack incoming webhook and a
 * generic JSON webhook. Both URLs are secrets (they authorise posting).
 *
 * <pre>{@code
 * # gantry.yml
 * notify:
 *   slack-webhook: https://hooks.slack.com/services/...
 * }</pre>
 */
public final class NotifyConfig {
  public static final Setting<Secret> SLACK = Setting.secret("notify.slack-webhook",
      "Slack incoming-webhook URL for CI and alert messages.");
  public static final Setting<Secret> WEBHOOK = Setting.secret("notify.webhook",
      "A URL that receives every message as JSON.");

  private NotifyConfig() {}

  public static Settings settings() {
    return Settings.of(SLACK, WEBHOOK);
  }

  /** The configured notifiers, in the order Slack, webhook; empty when none is set. */
  public static List<Notifier> notifiers(Config config) {
    List<Notifier> out = new ArrayList<>();
    config.find(SLACK).ifPresent(s -> out.add(new SlackNotifier(uri(SLACK, s))));
    config.find(WEBHOOK).ifPresent(s -> out.add(new WebhookNotifier(uri(WEBHOOK, s))));
    return out;
  }

  private static URI uri(Setting<Secret> setting, Secret s) {
    try {
      URI u = URI.create(s.reveal());
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
        throw new IllegalArgumentException();
      }
      return u;
    } catch (IllegalArgumentException e) {
      // the value itself is a secret: name the setting, not the URL
      throw new UserError(setting.key() + ": not an http(s) URL");
    }
  }
}

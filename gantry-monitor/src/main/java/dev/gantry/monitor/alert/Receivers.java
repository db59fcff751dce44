package dev.gantry.monitor.alert;

import dev.gantry.core.notify.Delivery;
import dev.gantry.core.notify.EmailNotifier;
import dev.gantry.core.notify.Notification;
import dev.gantry.core.notify.Notifier;
import dev.gantry.core.notify.SlackNotifier;
import dev.gantry.core.notify.SmtpSettings;
import dev.gantry.core.notify.WebhookNotifier;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Alert receivers backed by Gantry's notifiers (Slack webhook, generic webhook, e-mail),
 * which deliver in the background with retries and keep secrets out of messages.
 *
 * <pre>{@code
 * Monitoring.rules().rule(diskFull(90)).sendTo(Receivers.slack(URI.create(webhookUrl)));
 * }</pre>
 */
public final class Receivers {
  private Receivers() {}

  /** A Slack incoming webhook. */
  public static Receiver slack(URI webhook) {
    return of(new SlackNotifier(webhook));
  }

  /** A generic webhook receiving the notification as JSON. */
  public static Receiver webhook(URI url) {
    return of(new WebhookNotifier(url));
  }

  /** E-mail over SMTP. */
  public static Receiver email(SmtpSettings smtp) {
    return of(new EmailNotifier(smtp));
  }

  /** Any notifier as a receiver: firing alerts are failures (warnings for severity warning), resolves successes. */
  public static Receiver of(Notifier notifier) {
    return new Receiver() {
      @Override
      public String describe() {
        return notifier.describe();
      }

      @Override
      public CompletableFuture<Void> send(AlertMessage m) {
        return notifier.send(notification(m)).thenCompose(d -> d.delivered()
            ? CompletableFuture.<Void>completedFuture(null)
            : CompletableFuture.<Void>failedFuture(new IOException(describe() + ": " + detail(d))));
      }
    };
  }

  static Notification notification(AlertMessage m) {
    Notification.Level level = switch (m.kind()) {
      case FIRING -> "warning".equals(m.fields().get("severity")) ? Notification.Level.WARNING : Notification.Level.FAILURE;
      case RESOLVED -> Notification.Level.SUCCESS;
      case INFO -> Notification.Level.INFO;
    };
    return new Notification(m.title(), m.text(), level, m.url(), m.fields());
  }

  private static String detail(Delivery d) {
    return d.status() + " after " + d.attempts() + " attempts: " + d.detail();
  }
}

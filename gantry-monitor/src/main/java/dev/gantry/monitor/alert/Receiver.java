package dev.gantry.monitor.alert;

import java.util.concurrent.CompletableFuture;

/**
 * Where alert notifications go: Slack, a webhook, e-mail. {@link #send} must not block the
 * caller; delivery and retries happen in the background.
 *
 * <pre>{@code
 * Monitoring.rules().rule(diskFull(90)).sendTo(Receivers.slack(URI.create(webhookUrl)));
 * }</pre>
 */
public interface Receiver {
  /** A name for logs and the UI, free of secrets (never the webhook URL). */
  String describe();

  CompletableFuture<Void> send(AlertMessage message);
}

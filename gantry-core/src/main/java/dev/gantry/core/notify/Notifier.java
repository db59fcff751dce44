package dev.gantry.core.notify;

import java.util.concurrent.CompletableFuture;

/**
 * Sends notifications somewhere people look. {@link #send} never blocks the caller: it queues
 * and returns, and the future completes when the receiver took it or it was given up.
 *
 * <pre>{@code
 * Notifier slack = new SlackNotifier(URI.create(webhook.reveal()));
 * slack.send(Notification.of(Level.FAILURE, "prod disk 95% full", "/data on prod.example.com"))
 *      .thenAccept(d -> { if (!d.delivered()) log.warn("alert not delivered: {}", d.detail()); });
 * }</pre>
 */
public interface Notifier extends AutoCloseable {

  /** Queues {@code notification}; returns at once. */
  CompletableFuture<Delivery> send(Notification notification);

  /** What this notifier sends to, safe to show (kind and host, never a secret URL). */
  String describe();

  /** Stops sending; what is still queued after a short wait is dropped. */
  @Override
  default void close() {}
}

package dev.gantry.core.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery every notifier shares: a bounded queue, one worker that sends in order, and
 * retries with exponential backoff. A subclass only says how to try once.
 *
 * <pre>{@code
 * final class PagerNotifier extends QueuedNotifier {
 *   PagerNotifier() { super("pager", RetryPolicy.DEFAULT, 100); }
 *   protected Attempt attempt(Notification n) { ... return new Attempt.Delivered("paged"); }
 * }
 * }</pre>
 *
 * <p>When the queue is full (the receiver is down for long), new notifications are dropped
 * and counted rather than blocking the caller or growing without bound.
 */
public abstract class QueuedNotifier implements Notifier {
  /** Default queue length. */
  public static final int DEFAULT_CAPACITY = 1000;
  private static final long CLOSE_WAIT_MILLIS = 5000;
  private static final Logger log = LoggerFactory.getLogger(QueuedNotifier.class);

  private record Pending(Notification notification, CompletableFuture<Delivery> result) {}

  private final String description;
  private final RetryPolicy retry;
  private final BlockingQueue<Pending> queue;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private Thread worker; // started on first send; guarded by this
  private volatile boolean closed;
  private final CountDownLatch closing = new CountDownLatch(1);

  /** Counts since the notifier was made. */
  public record Stats(long delivered, long failed, long dropped, int queued) {}

  protected QueuedNotifier(String description, RetryPolicy retry, int capacity) {
    this.description = description;
    this.retry = retry;
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  /** Tries once to hand {@code notification} over. May block: it runs on the worker. */
  protected abstract Attempt attempt(Notification notification) throws InterruptedException;

  @Override
  public final CompletableFuture<Delivery> send(Notification notification) {
    CompletableFuture<Delivery> result = new CompletableFuture<>();
    if (closed) {
      dropped.incrementAndGet();
      result.complete(Delivery.dropped(description + " is closed"));
      return result;
    }
    if (!queue.offer(new Pending(notification, result))) {
      long n = dropped.incrementAndGet();
      log.warn("{}: queue full, dropped '{}' ({} dropped so far)", description, notification.title(), n);
      result.complete(Delivery.dropped("the queue of " + description + " is full"));
      return result;
    }
    ensureWorker();
    return result;
  }

  private synchronized void ensureWorker() {
    if (worker == null && !closed) {
      worker = Thread.ofVirtual().name("notifier-" + description).start(this::work);
    }
  }

  private void work() {
    Pending current = null;
    try {
      while (!closed || !queue.isEmpty()) {
        current = queue.poll(200, TimeUnit.MILLISECONDS);
        if (current != null) {
          current.result().complete(deliver(current.notification()));
          current = null;
        }
      }
    } catch (InterruptedException e) {
      // closing: the one being retried ends here, what is queued is dropped by close()
      if (current != null) {
        failed.incrementAndGet();
        current.result().complete(Delivery.failed(0, description + " was closed while retrying"));
      }
    }
  }

  private Delivery deliver(Notification n) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      Attempt outcome;
      try {
        outcome = attempt(n);
      } catch (RuntimeException e) {
        outcome = new Attempt.Permanent("unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      switch (outcome) {
        case Attempt.Delivered d -> {
          delivered.incrementAndGet();
          return Delivery.delivered(attempt, d.detail());
        }
        case Attempt.Permanent p -> {
          failed.incrementAndGet();
          log.warn("{}: '{}' refused: {}", description, n.title(), p.detail());
          return Delivery.failed(attempt, p.detail());
        }
        case Attempt.Retryable r -> {
          if (attempt >= retry.maxAttempts() || closed) {
            failed.incrementAndGet();
            log.warn("{}: gave up on '{}' after {} attempts: {}", description, n.title(), attempt, r.detail());
            return Delivery.failed(attempt, "gave up after " + attempt + " attempts: " + r.detail());
          }
          log.debug("{}: attempt {} for '{}' failed ({}), retrying", description, attempt, n.title(), r.detail());
          // wakes early when the notifier closes, so closing does not wait out a long backoff
          closing.await(retry.delayAfter(attempt, r.retryAfter()).toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    }
  }

  /** The retry policy this notifier follows. */
  protected RetryPolicy retry() {
    return retry;
  }

  public Stats stats() {
    return new Stats(delivered.get(), failed.get(), dropped.get(), queue.size());
  }

  @Override
  public String describe() {
    return description;
  }

  /**
   * Stops taking notifications. What is queued gets one more try each (no retries) for up to
   * a few seconds; what is left after that is dropped.
   */
  @Override
  public void close() {
    Thread w;
    synchronized (this) {
      closed = true;
      w = worker;
    }
    closing.countDown();
    if (w != null) {
      try {
        if (!w.join(java.time.Duration.ofMillis(CLOSE_WAIT_MILLIS))) {
          w.interrupt();
          w.join(java.time.Duration.ofMillis(CLOSE_WAIT_MILLIS));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    for (Pending p : left) {
      dropped.incrementAndGet();
      p.result().complete(Delivery.dropped(description + " was closed before sending"));
    }
    closeResources();
  }

  /** Releases what the subclass holds (a client, a socket); called once by {@link #close()}. */
  protected void closeResources() {}
}

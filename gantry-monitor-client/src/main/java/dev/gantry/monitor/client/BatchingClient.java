package dev.gantry.monitor.client;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events in the background over TCP: {@link #offer(Event)} never blocks; a sender
 * thread takes up to {@code batchSize} queued events, sends them as one message and waits
 * for the acknowledgement. When the server is unreachable the batch is kept and retried
 * with backoff (up to 5 s), so events survive a server restart. When the bounded queue is
 * full new events are dropped and counted ({@link #dropped()}).
 *
 * <pre>{@code
 * try (BatchingClient c = BatchingClient.start(TcpClient.connect("127.0.0.1", 5555), 10_000, 100)) {
 *   c.offer(Event.builder().service("jobs done").metric(12).build());
 * }
 * }</pre>
 */
public final class BatchingClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BatchingClient.class);

  private final TcpClient tcp;
  private final BlockingQueue<Event> queue;
  private final int batchSize;
  private final Thread sender;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final Object idle = new Object();
  private volatile boolean closing;
  private final AtomicLong pending = new AtomicLong();

  private BatchingClient(TcpClient tcp, int capacity, int batchSize) {
    if (capacity < 1 || batchSize < 1) {
      throw new IllegalArgumentException("capacity and batch size must be positive");
    }
    this.tcp = tcp;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.batchSize = batchSize;
    this.sender = Thread.ofPlatform().daemon().name("gantry-monitor-sender").unstarted(this::run);
  }

  /** Starts the sender thread over {@code tcp}. */
  public static BatchingClient start(TcpClient tcp, int capacity, int batchSize) {
    BatchingClient c = new BatchingClient(tcp, capacity, batchSize);
    c.sender.start();
    return c;
  }

  /** Queues an event; false (and counted) when the queue is full or the client is closing. */
  public boolean offer(Event e) {
    pending.incrementAndGet();
    if (closing || !queue.offer(e)) {
      pending.decrementAndGet();
      dropped.incrementAndGet();
      return false;
    }
    return true;
  }

  /** Events dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Events the server acknowledged. */
  public long sent() {
    return sent.get();
  }

  /** Waits until every queued event was acknowledged, or the timeout passed; true when drained. */
  public boolean flush(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (pending.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        idle.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
    return true;
  }

  private void run() {
    List<Event> batch = new ArrayList<>(batchSize);
    long backoffMs = 100;
    while (true) {
      try {
        if (batch.isEmpty()) {
          Event first = queue.poll(200, TimeUnit.MILLISECONDS);
          if (first == null) {
            if (closing) {
              return;
            }
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, batchSize - 1);
        }
        try {
          tcp.send(batch);
          sent.addAndGet(batch.size());
          done(batch);
          backoffMs = 100;
        } catch (MonitorException e) {
          // the server refused the batch (e.g. overloaded or too large): resending cannot help
          log.warn("monitor server refused {} events: {}", batch.size(), e.getMessage());
          dropped.addAndGet(batch.size());
          done(batch);
        } catch (IOException e) {
          if (closing) {
            dropped.addAndGet(batch.size() + queue.size());
            return;
          }
          log.debug("monitor server unreachable, retrying in {} ms: {}", backoffMs, e.getMessage());
          Thread.sleep(backoffMs);
          backoffMs = Math.min(5000, backoffMs * 2);
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void done(List<Event> batch) {
    synchronized (idle) {
      pending.addAndGet(-batch.size());
      batch.clear();
      idle.notifyAll();
    }
  }

  /** Sends what is queued (waiting up to 5 s), then stops. */
  @Override
  public void close() {
    try {
      flush(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closing = true;
    sender.interrupt();
    try {
      sender.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tcp.close();
  }
}

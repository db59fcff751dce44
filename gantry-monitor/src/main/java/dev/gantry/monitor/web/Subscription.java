package dev.gantry.monitor.web;

import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.index.IndexListener;
import dev.gantry.monitor.query.Query;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One WebSocket or SSE client following the index: the engine thread offers matching
 * changes to a bounded queue (a slow client loses updates, counted, instead of holding
 * memory), and a virtual thread sends them as JSON.
 */
final class Subscription implements IndexListener, AutoCloseable {
  private static final int CAPACITY = 10_000;

  private final Query query;
  private final Consumer<String> send;
  private final Runnable end;
  private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean open = true;
  private Thread sender;

  /** {@code end} closes the client's connection (SSE stream or WebSocket session). */
  Subscription(Query query, Consumer<String> send, Runnable end) {
    this.query = query;
    this.send = send;
    this.end = end;
  }

  /** Ends the client's connection, so that a stopping server does not wait for it. */
  void end() {
    close();
    try {
      end.run();
    } catch (RuntimeException e) {
      // the client went away already
    }
  }

  /** Queues the events matching now (called on the engine thread, before any change). */
  void seed(Iterable<Event> current) {
    for (Event e : current) {
      if (query.matches(e)) {
        offer(e);
      }
    }
  }

  void start() {
    sender = Thread.ofVirtual().name("gantry-monitor-subscription").start(this::run);
  }

  @Override
  public void indexed(Event e) {
    if (open && query.matches(e)) {
      offer(e);
    }
  }

  @Override
  public void expired(Event original, Event expired) {
    if (open && query.matches(original)) {
      offer(expired);
    }
  }

  private void offer(Event e) {
    if (!queue.offer(e)) {
      dropped.incrementAndGet();
    }
  }

  long dropped() {
    return dropped.get();
  }

  boolean isOpen() {
    return open;
  }

  private void run() {
    try {
      while (open) {
        Event e = queue.poll(1, TimeUnit.SECONDS);
        if (e != null) {
          send.accept(EventJson.write(e));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // the client went away; the close handler unsubscribes
      open = false;
    }
  }

  @Override
  public void close() {
    open = false;
    if (sender != null) {
      sender.interrupt();
    }
  }
}

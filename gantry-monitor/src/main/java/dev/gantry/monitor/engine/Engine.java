package dev.gantry.monitor.engine;

import dev.gantry.core.UserError;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.proto.Msg;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link EngineCore} for many threads, one at a time, so rules need no locking and
 * every connection's requests are handled in order. While the rules are not near saturation, a
 * batch that finds nothing queued goes through them at once on the thread that read it:
 * no hand-off to another thread and back, two wake-ups fewer per batch. Otherwise, and
 * always under heavy load (the rules busy more than three quarters of the time, where one thread
 * keeping their state in its caches does more), it is queued for the engine's own thread,
 * which also ticks. When more than {@code maxQueuedEvents} wait, new batches are refused
 * (the caller answers "overloaded") and counted: load is shed, memory stays bounded.
 *
 * <pre>{@code
 * engine.submitEvents(events, reply -> channel.write(reply));
 * }</pre>
 */
public final class Engine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private sealed interface Work {}

  private record Ingest(List<Event> events, Consumer<Msg> reply, long queuedNanos) implements Work {}

  private record QueryWork(String query, Consumer<Msg> reply) implements Work {}

  private record Task(Runnable run) implements Work {}

  /** How long a thread with a batch waits for the core before queueing the batch instead. */
  static final long HANDOVER_WAIT_NANOS = 500_000;
  /** Over how long the rules' load is measured. */
  static final long LOAD_WINDOW_NANOS = 100_000_000;
  /**
   * Above this share of time busy, every batch goes to the engine's thread. A full-speed
   * flood keeps the rules 93-99 % busy; 200,000 events/s on a slow hour of a 2-core machine
   * 17-68 % (median 25 %), where queueing each batch costs two more wake-ups and more CPU.
   */
  static final double MAX_BUSY_TO_HAND_OVER = 0.75;

  private final EngineCore core;
  private final BlockingQueue<Work> queue;
  private final long maxQueuedEvents;
  private final AtomicLong queuedEvents = new AtomicLong();
  // whoever holds it uses the core: the engine thread, or a thread handling its own batch
  private final ReentrantLock coreLock = new ReentrantLock();
  // work queued or being handled by the engine thread; a batch may skip the queue only when none
  private final AtomicInteger queued = new AtomicInteger();
  // while the rules are not near saturation, a batch goes through them on the thread that read it;
  // under heavy load all go to the engine's thread, whose caches keep the rules' state warm
  private volatile boolean handsOver = true;
  private long busyNanos;
  private long windowStart = System.nanoTime();
  private final long tickNanos;
  private final Thread thread;
  private final Runnable onTick;
  private final LongConsumer batchDone;
  private volatile boolean running = true;

  /**
   * @param onTick runs on the engine thread after each tick, with the core held
   */
  public Engine(EngineCore core, long maxQueuedEvents, Duration tick, Runnable onTick) {
    this(core, maxQueuedEvents, tick, onTick, nanos -> {});
  }

  /**
   * @param batchDone told, with the core held, how many nanoseconds each batch took from
   *     being submitted (and queued, when it had to wait) to having gone through the rules
   */
  public Engine(EngineCore core, long maxQueuedEvents, Duration tick, Runnable onTick, LongConsumer batchDone) {
    this.batchDone = batchDone;
    this.core = core;
    this.maxQueuedEvents = maxQueuedEvents;
    this.queue = new ArrayBlockingQueue<>(65_536);
    this.tickNanos = tick.toNanos();
    this.onTick = onTick;
    this.thread = Thread.ofPlatform().name("gantry-monitor-engine").daemon().unstarted(this::loop);
  }

  public void start() {
    thread.start();
  }

  public EngineCore core() {
    return core;
  }

  /** Events waiting for the engine. */
  public long queuedEvents() {
    return queuedEvents.get();
  }

  /**
   * Takes a batch: through the rules at once on this thread when nothing waits, else queued.
   * {@code reply} (may be null) gets the acknowledgement once the events went through the
   * rules, before this returns when they went through at once. False when the engine is
   * overloaded or stopped.
   */
  public boolean submitEvents(List<Event> events, Consumer<Msg> reply) {
    int n = events.size();
    if (!running || queuedEvents.addAndGet(n) > maxQueuedEvents) {
      queuedEvents.addAndGet(-n);
      return false;
    }
    if (handsOver && queued.get() == 0 && lockForHandover()) {
      try {
        // only when nothing is queued: an earlier request of the same connection may wait there
        if (queued.get() == 0) {
          queuedEvents.addAndGet(-n);
          ingest(new Ingest(events, reply, System.nanoTime()));
          return true;
        }
      } finally {
        coreLock.unlock();
      }
    }
    if (!enqueue(new Ingest(events, reply, System.nanoTime()))) {
      queuedEvents.addAndGet(-n);
      return false;
    }
    return true;
  }

  /**
   * The core, when another thread hands it over within {@link #HANDOVER_WAIT_NANOS}: waiting
   * out another batch costs less than a hand-off to the engine's thread and back, and under
   * full load the threads that read batches take turns without waking a third. A longer hold
   * (a tick, a query) sends the batch to the queue instead.
   */
  private boolean lockForHandover() {
    try {
      return coreLock.tryLock(HANDOVER_WAIT_NANOS, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean enqueue(Work w) {
    queued.incrementAndGet();
    if (queue.offer(w)) {
      return true;
    }
    queued.decrementAndGet();
    return false;
  }

  /** Queues a query; {@code reply} gets the matching events or the parse error. */
  public boolean submitQuery(String query, Consumer<Msg> reply) {
    return running && enqueue(new QueryWork(query, reply));
  }

  /**
   * Runs {@code f} with the core held (alert book, rules) and returns its result: at once
   * when this thread already holds it (a rule), else on the engine's thread.
   */
  public <T> CompletableFuture<T> call(Function<EngineCore, T> f) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable r = () -> {
      try {
        result.complete(f.apply(core));
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    };
    if (!running) {
      result.completeExceptionally(new IllegalStateException("the monitor engine is stopped"));
    } else if (coreLock.isHeldByCurrentThread()) {
      r.run();
    } else {
      try {
        queued.incrementAndGet();
        if (!queue.offer(new Task(r), 5, TimeUnit.SECONDS)) {
          queued.decrementAndGet();
          result.completeExceptionally(new IllegalStateException("the monitor engine is overloaded"));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        result.completeExceptionally(e);
      }
    }
    return result;
  }

  private void loop() {
    long nextTick = System.nanoTime() + tickNanos;
    while (running) {
      try {
        long wait = nextTick - System.nanoTime();
        Work w = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
        if (w != null) {
          handleQueued(w);
        }
        if (System.nanoTime() - nextTick >= 0) {
          tick();
          nextTick = System.nanoTime() + tickNanos;
        }
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException e) {
        log.error("monitor engine: {}", e.toString(), e);
      }
    }
    // answer what is still queued so no client waits forever
    Work w;
    while ((w = queue.poll()) != null) {
      handleQueued(w);
    }
  }

  private void tick() {
    // the search for expired events reads the index while batches still go through
    EngineCore.Tick prepared = core.prepareTick();
    coreLock.lock();
    try {
      core.tick(prepared);
      onTick.run();
    } finally {
      coreLock.unlock();
    }
  }

  private void handleQueued(Work w) {
    coreLock.lock();
    try {
      switch (w) {
        case Ingest in -> {
          queuedEvents.addAndGet(-in.events().size());
          ingest(in);
        }
        case QueryWork q -> {
          Msg reply;
          try {
            reply = Msg.answer(core.query(q.query()));
          } catch (UserError e) {
            reply = Msg.error(e.getMessage());
          }
          q.reply().accept(reply);
        }
        case Task t -> t.run().run();
      }
    } finally {
      queued.decrementAndGet();
      coreLock.unlock();
    }
  }

  private void ingest(Ingest in) {
    long start = System.nanoTime();
    Msg reply;
    try {
      core.ingest(in.events());
      reply = Msg.acknowledged();
    } catch (RuntimeException e) {
      log.warn("monitor engine failed on a batch: {}", e.toString());
      reply = Msg.error("internal error: " + e.getClass().getSimpleName());
    }
    if (in.reply() != null) {
      in.reply().accept(reply);
    }
    long end = System.nanoTime();
    batchDone.accept(end - in.queuedNanos());
    measureLoad(end - start, end);
  }

  /**
   * Keeps {@link #handsOver} up to date from the share of the last {@link #LOAD_WINDOW_NANOS}
   * the rules were busy; called with the core held.
   */
  private void measureLoad(long busy, long now) {
    busyNanos += busy;
    long elapsed = now - windowStart;
    if (elapsed >= LOAD_WINDOW_NANOS) {
      handsOver = busyNanos < elapsed * MAX_BUSY_TO_HAND_OVER;
      busyNanos = 0;
      windowStart = now;
    }
  }

  /** Stops after answering what is queued. */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    // wake the loop without interrupting it: an interrupt would close files it is writing
    enqueue(new Task(() -> {}));
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

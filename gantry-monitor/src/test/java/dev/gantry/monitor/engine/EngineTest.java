package dev.gantry.monitor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.monitor.alert.AlertBook;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.proto.Msg;
import dev.gantry.monitor.index.Index;
import dev.gantry.monitor.rules.Monitoring;
import dev.gantry.monitor.rules.RuleSet;
import dev.gantry.monitor.stream.StreamSpec;
import dev.gantry.monitor.stream.Streams;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EngineTest {
  private static EngineCore core(StreamSpec rule) {
    EngineCore core = new EngineCore(Clock.systemUTC(), new Index(60), new AlertBook(), (r, rs, m) -> {},
        EngineCore.Hooks.NONE, true);
    core.reload(RuleSet.of(List.of(Monitoring.rules().rule("seen", rule))));
    return core;
  }

  private static List<Event> batch(String service, int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> Event.builder().host("h").service(service + i).build())
        .toList();
  }

  /** Holds the engine's thread (and so the core) until the returned latch is counted down. */
  private static CountDownLatch hold(Engine engine) throws InterruptedException {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    engine.call(c -> {
      held.countDown();
      try {
        release.await();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    return release;
  }

  private static void await(List<?> list, int size) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (list.size() < size && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  @Test
  void theEventsOfABatchShareOneReadingOfTheClock() {
    // a clock a millisecond later at every reading
    java.util.concurrent.atomic.AtomicLong readings = new java.util.concurrent.atomic.AtomicLong();
    java.time.InstantSource ticking = () -> java.time.Instant.ofEpochSecond(1_700_000_000L).plusMillis(readings.incrementAndGet());
    List<Long> seen = new ArrayList<>();
    EngineCore core = new EngineCore(ticking, new Index(60), new AlertBook(), (r, rs, m) -> {}, EngineCore.Hooks.NONE, true);
    core.reload(RuleSet.of(List.of(Monitoring.rules().rule("now", ctx -> e -> seen.add(ctx.nowMicros())))));
    core.ingest(batch("a", 3));
    core.ingest(batch("b", 2));
    assertThat(seen).hasSize(5);
    assertThat(seen.subList(0, 3)).containsOnly(seen.get(0));
    assertThat(seen.subList(3, 5)).containsOnly(seen.get(3));
    assertThat(seen.get(3)).isGreaterThan(seen.get(0));
    // between batches, a reading of its own
    assertThat(core.nowMicros()).isGreaterThan(seen.get(3));
  }

  @Test
  void aFullQueueShedsLoadAndAnswersEveryAcceptedBatch() throws Exception {
    Engine engine = new Engine(core(Streams.sink(e -> {})), 1000, Duration.ofSeconds(1), () -> {});
    engine.start();
    CountDownLatch release = hold(engine);
    List<Msg> replies = new CopyOnWriteArrayList<>();
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < 30; i++) {
      if (engine.submitEvents(batch("s", 100), replies::add)) {
        accepted++;
      } else {
        refused++;
      }
    }
    assertThat(refused).isPositive();
    assertThat(engine.queuedEvents()).isLessThanOrEqualTo(1000);
    assertThat(replies).isEmpty();
    release.countDown();
    await(replies, accepted);
    assertThat(replies).hasSize(accepted).allMatch(m -> m.equals(Msg.acknowledged()));
    engine.close();
    assertThat(engine.submitEvents(batch("s", 100), replies::add)).isFalse();
  }

  @Test
  void aBatchArrivingWhenNothingWaitsGoesThroughTheRulesOnTheThreadThatReceivedIt() {
    List<Thread> ruleThreads = new CopyOnWriteArrayList<>();
    Engine engine = new Engine(core(Streams.sink(e -> ruleThreads.add(Thread.currentThread()))), 1000,
        Duration.ofSeconds(1), () -> {});
    engine.start();
    List<Thread> replyThreads = new ArrayList<>();
    assertThat(engine.submitEvents(batch("s", 3), m -> replyThreads.add(Thread.currentThread()))).isTrue();
    // answered before submitEvents returned, without waking the engine's thread
    assertThat(replyThreads).containsExactly(Thread.currentThread());
    assertThat(ruleThreads).hasSize(3).allMatch(t -> t == Thread.currentThread());
    engine.close();
  }

  @Test
  void underHeavyLoadBatchesGoToTheEnginesThread() throws Exception {
    // rules busy all the time: every batch takes 20 ms
    Engine engine = new Engine(core(Streams.sink(e -> {
      try {
        Thread.sleep(2);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    })), 1000, Duration.ofSeconds(1), () -> {});
    engine.start();
    long start = System.nanoTime();
    int inline = 0;
    List<Thread> replyThreads = new CopyOnWriteArrayList<>();
    while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5)) {
      replyThreads.clear();
      assertThat(engine.submitEvents(batch("s", 10), m -> replyThreads.add(Thread.currentThread()))).isTrue();
      if (replyThreads.isEmpty()) {
        break; // queued
      }
      inline++;
    }
    // at first through the rules on this thread, then, after a window of measured load, queued
    assertThat(inline).isPositive();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Engine.LOAD_WINDOW_NANOS);
    await(replyThreads, 1);
    assertThat(replyThreads).singleElement().matches(t -> t.getName().equals("gantry-monitor-engine"));
    engine.close();
  }

  @Test
  void aBatchArrivingBehindQueuedWorkWaitsItsTurn() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    // not started yet: what is queued waits, while the core itself is free
    Engine engine = new Engine(core(Streams.sink(e -> seen.add(e.service()))), 1000, Duration.ofSeconds(1), () -> {});
    List<String> replies = new CopyOnWriteArrayList<>();
    assertThat(engine.submitQuery("service = \"later0\"", m -> replies.add("query found " + m.events().size()))).isTrue();
    assertThat(engine.submitEvents(batch("later", 1), m -> replies.add("later"))).isTrue();
    assertThat(replies).isEmpty();
    assertThat(seen).isEmpty();
    engine.start();
    await(replies, 2);
    assertThat(replies).containsExactly("query found 0", "later");
    assertThat(seen).containsExactly("later0");
    engine.close();
  }

  @Test
  void batchesFromManyThreadsKeepEachThreadsOrderWhenTheCoreIsContended() throws Exception {
    Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    AtomicInteger n = new AtomicInteger();
    Engine engine = new Engine(core(Streams.sink(e -> {
      seen.computeIfAbsent(e.host(), h -> new CopyOnWriteArrayList<>()).add(Integer.parseInt(e.service()));
      if (n.incrementAndGet() % 97 == 0) {
        // now and then a batch holds the core past the hand-over wait, so others queue behind it
        LockSupport.parkNanos(2 * Engine.HANDOVER_WAIT_NANOS);
      }
    })), 100_000, Duration.ofMillis(10), () -> {});
    engine.start();
    int threads = 4;
    int batches = 300;
    List<Msg> replies = new CopyOnWriteArrayList<>();
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String host = "sender" + t;
      senders.add(Thread.ofPlatform().start(() -> {
        for (int b = 0; b < batches; b++) {
          List<Event> events = List.of(Event.builder().host(host).service(Integer.toString(2 * b)).build(),
              Event.builder().host(host).service(Integer.toString(2 * b + 1)).build());
          assertThat(engine.submitEvents(events, replies::add)).isTrue();
          if (b % 50 == 0) {
            engine.submitQuery("host = \"" + host + "\"", m -> {});
          }
        }
      }));
    }
    for (Thread t : senders) {
      t.join(60_000);
    }
    await(replies, threads * batches);
    assertThat(replies).hasSize(threads * batches);
    assertThat(seen).hasSize(threads);
    List<Integer> inOrder = IntStream.range(0, 2 * batches).boxed().toList();
    seen.values().forEach(list -> assertThat(list).isEqualTo(inOrder));
    engine.close();
  }

  @Test
  void aFailingRuleDoesNotStopTheOthers() {
    List<Event> seen = new CopyOnWriteArrayList<>();
    EngineCore core = new EngineCore(Clock.systemUTC(), new Index(60), new AlertBook(), (r, rs, m) -> {},
        EngineCore.Hooks.NONE, true);
    core.reload(RuleSet.of(List.of(Monitoring.rules()
        .rule("broken", Streams.map(e -> { throw new IllegalStateException("bug in a rule"); }))
        .rule("fine", Streams.sink(seen::add)))));
    core.ingest(List.of(Event.builder().host("h").service("s").build()));
    assertThat(seen).hasSize(1);
    assertThat(core.index().size()).isEqualTo(1);
  }
}

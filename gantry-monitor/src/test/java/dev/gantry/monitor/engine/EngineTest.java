package dev.gantry.monitor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.monitor.alert.AlertBook;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.proto.Msg;
import dev.gantry.monitor.index.Index;
import dev.gantry.monitor.rules.Monitoring;
import dev.gantry.monitor.rules.RuleSet;
import dev.gantry.monitor.stream.Streams;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EngineTest {
  @Test
  void aFullQueueShedsLoadAndAnswersEveryAcceptedBatch() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    EngineCore core = new EngineCore(Clock.systemUTC(), new Index(60), new AlertBook(), (r, rs, m) -> {},
        EngineCore.Hooks.NONE, true);
    core.reload(RuleSet.of(List.of(Monitoring.rules().rule("slow", Streams.sink(e -> {
      try {
        release.await();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    })))));
    Engine engine = new Engine(core, 1000, Duration.ofSeconds(1), () -> {});
    engine.start();
    List<Msg> replies = new CopyOnWriteArrayList<>();
    List<Event> batch = java.util.stream.IntStream.range(0, 100)
        .mapToObj(i -> Event.builder().host("h").service("s" + i).build()).toList();
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < 30; i++) {
      if (engine.submitEvents(batch, replies::add)) {
        accepted++;
      } else {
        refused++;
      }
    }
    assertThat(refused).isPositive();
    assertThat(engine.queuedEvents()).isLessThanOrEqualTo(1000);
    release.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (replies.size() < accepted && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(replies).hasSize(accepted).allMatch(m -> m.equals(Msg.acknowledged()));
    engine.close();
    assertThat(engine.submitEvents(batch, replies::add)).isFalse();
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

package dev.gantry.monitor.stream;

import static dev.gantry.monitor.stream.Streams.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.rules.Monitoring;
import dev.gantry.monitor.testing.RuleHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every stream function, driven in virtual time. */
class StreamsTest {
  final List<Event> out = new ArrayList<>();

  RuleHarness harness(StreamSpec spec) {
    return RuleHarness.of(Monitoring.rules().rule("test", spec));
  }

  StreamSpec sink() {
    return Streams.sink(out::add);
  }

  /** An event that outlives the test, so no expired events join in. */
  Event.Builder ev(RuleHarness h, String service, double metric) {
    return h.event().host("h").service(service).metric(metric).ttl(86400);
  }

  List<Double> metrics() {
    return out.stream().map(Event::metricValue).toList();
  }

  @Test
  void whereSplitTaggedExpiredWithDefault() {
    RuleHarness h = harness(ctx -> {
      var a = where("service = \"a\"", with("state", "hit", sink())).build(ctx.child("0"));
      var b = split(Split.when(e -> e.metricValue() > 10, with("description", "big", sink())),
          Split.otherwise(withDefault("description", "small", sink()))).build(ctx.child("1"));
      var c = tagged("t", with("service", "tagged", sink())).build(ctx.child("2"));
      var d = expired(with("description", "gone", sink())).build(ctx.child("3"));
      return new Stream() {
        public void accept(Event e) {
          a.accept(e);
          b.accept(e);
          c.accept(e);
          d.accept(e);
        }

        public void tick(long now) {
          a.tick(now);
          b.tick(now);
          c.tick(now);
          d.tick(now);
        }
      };
    });
    h.send(h.event().host("h").service("a").metric(20.0).tags("t").ttl(5).build());
    assertThat(out).extracting(Event::state, Event::description, Event::service).containsExactly(
        org.assertj.core.groups.Tuple.tuple("hit", null, "a"),
        org.assertj.core.groups.Tuple.tuple(null, "big", "a"),
        org.assertj.core.groups.Tuple.tuple(null, null, "tagged"));
    out.clear();
    h.send(ev(h, "b", 1).description("kept").build());
    assertThat(out).extracting(Event::description).containsExactly("kept");
    out.clear();
    h.advance(Duration.ofSeconds(10));
    assertThat(out).extracting(Event::description, Event::state).contains(org.assertj.core.groups.Tuple.tuple("gone", "expired"));
  }

  @Test
  void byKeepsStatePerKeyAndForgetsIdleKeys() {
    RuleHarness h = harness(by(Event::host, Duration.ofMinutes(1), fixedWindow(2, Folds.sum(), sink())));
    h.send(ev(h, "s", 1).host("x").build(), ev(h, "s", 10).host("y").build(), ev(h, "s", 2).host("x").build());
    assertThat(metrics()).containsExactly(3.0);
    h.advance(Duration.ofMinutes(2));
    // y's half-filled window was dropped with its partition
    h.send(ev(h, "s", 20).host("y").build());
    assertThat(metrics()).containsExactly(3.0);
    h.send(ev(h, "s", 5).host("y").build());
    assertThat(metrics()).containsExactly(3.0, 25.0);
  }

  @Test
  void rateSumsPerSecondAndGoesQuiet() {
    RuleHarness h = harness(rate(Duration.ofSeconds(10), sink()));
    for (int i = 0; i < 10; i++) {
      h.send(ev(h, "req", 5).build());
    }
    h.advance(Duration.ofSeconds(10));
    assertThat(metrics()).containsExactly(5.0);
    h.advance(Duration.ofSeconds(30));
    assertThat(metrics()).containsExactly(5.0, 0.0);
  }

  @Test
  void throttleAndRollup() {
    List<Event> rolled = new ArrayList<>();
    RuleHarness h = harness(ctx -> {
      var t = throttle(2, Duration.ofMinutes(1), sink()).build(ctx.child("0"));
      var r = rollup(1, Duration.ofMinutes(1), Streams.sink(rolled::add)).build(ctx.child("1"));
      return new Stream() {
        public void accept(Event e) {
          t.accept(e);
          r.accept(e);
        }

        public void tick(long now) {
          t.tick(now);
          r.tick(now);
        }
      };
    });
    for (int i = 0; i < 5; i++) {
      h.send(ev(h, "s", i).build());
    }
    assertThat(metrics()).containsExactly(0.0, 1.0);
    assertThat(rolled).hasSize(1);
    h.advance(Duration.ofMinutes(1));
    assertThat(rolled).hasSize(2);
    assertThat(rolled.get(1).attribute("rollup_count")).isEqualTo("4");
    assertThat(rolled.get(1).metricValue()).isEqualTo(4.0);
  }

  @Test
  void changedStateAndStable() {
    List<Event> changes = new ArrayList<>();
    RuleHarness h = harness(ctx -> {
      var c = changedState("ok", Streams.sink(changes::add)).build(ctx.child("0"));
      var s = stable(Duration.ofSeconds(30), sink()).build(ctx.child("1"));
      return new Stream() {
        public void accept(Event e) {
          c.accept(e);
          s.accept(e);
        }

        public void tick(long now) {
          c.tick(now);
          s.tick(now);
        }
      };
    });
    h.send(h.event().state("ok").build());
    h.advance(Duration.ofSeconds(10));
    h.send(h.event().state("critical").build());
    h.advance(Duration.ofSeconds(10));
    h.send(h.event().state("ok").build());
    assertThat(changes).extracting(Event::state).containsExactly("critical", "ok");
    // the flap to critical lasted 10 s: stable passes none of it
    assertThat(out).isEmpty();
    h.advance(Duration.ofSeconds(31));
    assertThat(out).extracting(Event::state).containsExactly("ok");
    h.send(h.event().state("ok").build());
    assertThat(out).hasSize(2);
  }

  @Test
  void windowsAndFolds() {
    List<Event> moving = new ArrayList<>();
    List<Event> fixedTime = new ArrayList<>();
    List<Event> movingTime = new ArrayList<>();
    RuleHarness h = harness(ctx -> {
      var m = movingWindow(3, Folds.max(), Streams.sink(moving::add)).build(ctx.child("0"));
      var f = fixedTimeWindow(Duration.ofSeconds(10), Folds.mean(), Streams.sink(fixedTime::add)).build(ctx.child("1"));
      var t = movingTimeWindow(Duration.ofSeconds(5), Folds.count(), Streams.sink(movingTime::add)).build(ctx.child("2"));
      return new Stream() {
        public void accept(Event e) {
          m.accept(e);
          f.accept(e);
          t.accept(e);
        }

        public void tick(long now) {
          m.tick(now);
          f.tick(now);
          t.tick(now);
        }
      };
    });
    for (int i = 1; i <= 5; i++) {
      h.send(ev(h, "s", i * 10).build());
      h.advance(Duration.ofSeconds(2));
    }
    assertThat(moving).extracting(Event::metricValue).containsExactly(10.0, 20.0, 30.0, 40.0, 50.0);
    assertThat(fixedTime).extracting(Event::metricValue).containsExactly(30.0);
    assertThat(movingTime).extracting(Event::metricValue).containsExactly(1.0, 2.0, 3.0, 3.0, 3.0);
  }

  @Test
  void coalesceFoldsTheLatestOfEachSource() {
    RuleHarness h = harness(coalesce(Duration.ofSeconds(5), Folds.sum(), sink()));
    h.advance(Duration.ofSeconds(1));
    h.send(ev(h, "req", 1).host("a").ttl(60).build(), ev(h, "req", 2).host("b").ttl(60).build(),
        ev(h, "req", 3).host("a").ttl(60).build());
    h.advance(Duration.ofSeconds(5));
    assertThat(metrics()).containsExactly(5.0);
  }

  @Test
  void percentilesAndEwma() {
    List<Event> smooth = new ArrayList<>();
    RuleHarness h = harness(ctx -> {
      var p = percentiles(Duration.ofSeconds(10), new double[] {0.5, 0.99}, sink()).build(ctx.child("0"));
      var e = ewma(0.5, Streams.sink(smooth::add)).build(ctx.child("1"));
      return new Stream() {
        public void accept(Event x) {
          p.accept(x);
          e.accept(x);
        }

        public void tick(long now) {
          p.tick(now);
          e.tick(now);
        }
      };
    });
    for (int i = 1; i <= 100; i++) {
      h.send(ev(h, "lat", i).build());
    }
    h.advance(Duration.ofSeconds(20)); // a first window of 10 s and its phase
    assertThat(out).extracting(Event::service, Event::metricValue).containsExactly(
        org.assertj.core.groups.Tuple.tuple("lat 0.5", 50.0), org.assertj.core.groups.Tuple.tuple("lat 0.99", 99.0));
    assertThat(smooth.get(1).metricValue()).isEqualTo(1.5);
  }

  @Test
  void percentilesLeaveNaNMetricsOut() {
    RuleHarness h = harness(ctx -> percentiles(Duration.ofSeconds(10), new double[] {0.5, 1}, sink()).build(ctx));
    for (int i = 1; i <= 100; i++) {
      h.send(ev(h, "lat", i).build());
      h.send(ev(h, "lat", Double.NaN).build());
    }
    h.advance(Duration.ofSeconds(20)); // a first window of 10 s and its phase
    assertThat(out).extracting(Event::service, Event::metricValue).containsExactly(
        org.assertj.core.groups.Tuple.tuple("lat 0.5", 50.0), org.assertj.core.groups.Tuple.tuple("lat 1", 100.0));
  }

  @Test
  void percentileWindowsStartedByOneBatchCloseOnDifferentTicks() {
    RuleHarness h = harness(byHostAndService(Duration.ofHours(1),
        percentiles(Duration.ofMinutes(1), new double[] {0.99}, sink())));
    Event[] batch = new Event[100];
    for (int i = 0; i < 100; i++) {
      batch[i] = ev(h, "latency", i).host(String.format("web-%03d", i)).build();
    }
    long start = h.now().toEpochMilli() * 1000;
    java.util.Map<String, List<Long>> closes = new java.util.TreeMap<>();
    int[] perTick = new int[241];
    for (int s = 1; s <= 240; s++) {
      h.send(batch);
      h.advance(Duration.ofSeconds(1));
      perTick[s] = out.size();
      out.forEach(e -> closes.computeIfAbsent(e.host(), k -> new ArrayList<>()).add((e.timeMicros() - start) / 1_000_000));
      out.clear();
    }
    assertThat(closes).hasSize(100);
    assertThat(java.util.Arrays.stream(perTick).max().orElseThrow()).as("most windows closing on one tick").isLessThanOrEqualTo(8);
    closes.forEach((host, at) -> {
      // the first window is a minute and a phase long, never shorter; every later one a minute
      assertThat(at.get(0)).as(host).isBetween(60L, 120L);
      for (int i = 1; i < at.size(); i++) {
        assertThat(at.get(i) - at.get(i - 1)).as(host).isEqualTo(60L);
      }
    });
  }

  @Test
  void aPhaseIsWithinItsIntervalAndStable() {
    long minute = 60_000_000L;
    for (String path : List.of("", "http-latency/by[web-001\u0000capital http]", "x".repeat(1000))) {
      assertThat(Windows.phase(path, minute)).isBetween(0L, minute - 1).isEqualTo(Windows.phase(path, minute));
    }
  }

  @Test
  void predictLinearGivesTheTimeToTheLimit() {
    List<Event> forecast = new ArrayList<>();
    RuleHarness h = harness(predictLinear(Duration.ofHours(1), 100, Streams.sink(forecast::add)));
    for (int i = 0; i < 5; i++) {
      h.send(ev(h, "disk", 50 + i).build());
      h.advance(Duration.ofMinutes(1));
    }
    // 1 % a minute from 54 %: 46 more minutes from the last point
    assertThat(forecast.get(4).attribute(Streams.SECONDS_TO_LIMIT)).isEqualTo(Long.toString(46 * 60));
    assertThat(forecast.get(0).attribute(Streams.SECONDS_TO_LIMIT)).isNull();
  }

  @Test
  void indexAndNotify() {
    RuleHarness h = harness(where("service = \"x\"", with("service", "derived", index()), notifyEach()));
    h.send(ev(h, "x", 1).build());
    assertThat(h.query("service = \"derived\"")).hasSize(1);
    assertThat(h.sent()).singleElement().satisfies(s -> assertThat(s.message().title()).isEqualTo("h x"));
  }

  @Test
  void badArgumentsAreRefusedEarly() {
    assertThatThrownBy(() -> rate(Duration.ZERO)).hasMessageContaining("duration must be positive");
    assertThatThrownBy(() -> ewma(2)).hasMessageContaining("ewma weight");
    assertThatThrownBy(() -> percentiles(Duration.ofSeconds(1), new double[] {1.5})).hasMessageContaining("percentile 1.5");
    assertThatThrownBy(() -> where("host =")).hasMessageContaining("expected a value");
  }
}

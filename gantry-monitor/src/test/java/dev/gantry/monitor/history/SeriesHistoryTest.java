package dev.gantry.monitor.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.index.Index;
import dev.gantry.monitor.index.IndexKey;
import dev.gantry.monitor.query.Query;
import dev.gantry.monitor.testing.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesHistoryTest {
  static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
  static final IndexKey CPU = new IndexKey("web1", "cpu");

  final VirtualClock clock = new VirtualClock(T0);

  static Event at(String host, String service, Instant t, double metric) {
    return Event.builder().host(host).service(service).time(t).metric(metric).build();
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }

  static double[] values(SeriesHistory h, IndexKey k) {
    return h.points(k).orElseThrow().values();
  }

  @Test
  void pointsAreKeptAtTheEventsOwnTimesInOrder() {
    SeriesHistory h = new SeriesHistory(HistoryLimits.defaults(), clock);
    h.record(at("web1", "cpu", T0.minusSeconds(20), 1));
    h.record(at("web1", "cpu", T0.minusSeconds(10), 2.5));
    h.record(at("web1", "cpu", T0, 4));
    SeriesPoints p = h.points(CPU).orElseThrow();
    assertThat(p.host()).isEqualTo("web1");
    assertThat(p.service()).isEqualTo("cpu");
    assertThat(p.timesMicros()).containsExactly(micros(T0.minusSeconds(20)), micros(T0.minusSeconds(10)), micros(T0));
    assertThat(p.values()).containsExactly(1, 2.5, 4);
    assertThat(h.prune()).isEqualTo(new SeriesHistory.Usage(1, 3, 16 * 16 + SeriesHistory.SERIES_OVERHEAD_BYTES));
  }

  @Test
  void eventsWithoutAFiniteMetricAreNotPoints() {
    SeriesHistory h = new SeriesHistory(HistoryLimits.defaults(), clock);
    h.record(Event.builder().host("web1").service("cpu").state("ok").time(T0).build());
    h.record(at("web1", "cpu", T0, Double.NaN));
    h.record(at("web1", "cpu", T0, Double.POSITIVE_INFINITY));
    assertThat(h.points(CPU)).isEmpty();
    assertThat(h.prune().series()).isZero();
  }

  @Test
  void lateEventsAreInsertedInOrderAndAnEqualTimeReplaces() {
    SeriesHistory h = new SeriesHistory(HistoryLimits.defaults(), clock);
    h.record(at("web1", "cpu", T0.minusSeconds(10), 10));
    h.record(at("web1", "cpu", T0, 30));
    h.record(at("web1", "cpu", T0.minusSeconds(5), 20));   // late
    h.record(at("web1", "cpu", T0.minusSeconds(30), 0));   // later still, before all
    h.record(at("web1", "cpu", T0.minusSeconds(10), 11));  // same time again
    SeriesPoints p = h.points(CPU).orElseThrow();
    assertThat(p.values()).containsExactly(0, 11, 20, 30);
    assertThat(p.timesMicros()).isSorted();
    assertThat(h.prune().points()).isEqualTo(4);
  }

  @Test
  void aSeriesKeepsAtMostItsPointsDroppingTheOldestFirst() {
    SeriesHistory h = new SeriesHistory(HistoryLimits.defaults().withPointsPerSeries(50), clock);
    for (int i = 0; i < 200; i++) {
      h.record(at("web1", "cpu", T0.minusSeconds(200 - i), i));
    }
    double[] v = values(h, CPU);
    assertThat(v).hasSize(50);
    assertThat(v[0]).isEqualTo(150);
    assertThat(v[49]).isEqualTo(199);
    // a late point older than all of a full series is dropped; one within it replaces the oldest
    h.record(at("web1", "cpu", T0.minusSeconds(190), -1));
    assertThat(values(h, CPU)[0]).isEqualTo(150);
    h.record(at("web1", "cpu", T0.minusSeconds(49).minusMillis(500), -2));
    assertThat(values(h, CPU)).hasSize(50).startsWith(-2, 151, 199 - 47);
    assertThat(h.points(CPU).orElseThrow().timesMicros()).isSorted();
    SeriesHistory.Usage u = h.prune();
    assertThat(u.points()).isEqualTo(50);
    assertThat(u.bytes()).isEqualTo(50 * 16 + SeriesHistory.SERIES_OVERHEAD_BYTES);
  }

  @Test
  void theRingStaysInOrderWhenItWrapsManyTimes() {
    SeriesHistory h = new SeriesHistory(HistoryLimits.defaults().withPointsPerSeries(7), clock);
    for (int i = 0; i < 1000; i++) {
      h.record(at("web1", "cpu", T0.minusMillis(1000 - i), i));
      if (i % 13 == 0) {
        h.record(at("web1", "cpu", T0.minusMillis(1000 - i + 1).plusNanos(500_000), -i)); // late by half a ms
      }
    }
    SeriesPoints p = h.points(CPU).orElseThrow();
    assertThat(p.size()).isEqualTo(7);
    assertThat(p.timesMicros()).isSorted();
    assertThat(p.values()[6]).isEqualTo(999);
  }

  @Test
  void pointsOlderThanTheWindowAreDroppedAndAnEmptySeriesGoes() {
    SeriesHistory h = new SeriesHistory(HistoryLimits.defaults().withWindow(Duration.ofMinutes(10)), clock);
    h.record(at("web1", "cpu", T0.minus(Duration.ofMinutes(11)), 1)); // too old already
    assertThat(h.points(CPU)).isEmpty();
    h.record(at("web1", "cpu", T0.minus(Duration.ofMinutes(9)), 2));
    h.record(at("web1", "cpu", T0.minus(Duration.ofMinutes(1)), 3));
    h.record(at("db1", "cpu", T0.minus(Duration.ofMinutes(8)), 4));
    clock.advance(Duration.ofMinutes(2));
    // read before pruning: the aged point is not shown
    assertThat(values(h, CPU)).containsExactly(3);
    assertThat(h.prune()).extracting(SeriesHistory.Usage::series, SeriesHistory.Usage::points).containsExactly(2, 2L);
    clock.advance(Duration.ofMinutes(3));
    assertThat(h.prune()).extracting(SeriesHistory.Usage::series, SeriesHistory.Usage::points).containsExactly(1, 1L);
    assertThat(h.points(new IndexKey("db1", "cpu"))).isEmpty();
    clock.advance(Duration.ofMinutes(10));
    assertThat(h.prune()).isEqualTo(new SeriesHistory.Usage(0, 0, 0));
    assertThat(h.points(CPU)).isEmpty();
  }

  @Test
  void anExpiredEventKeepsItsSeriesUntilItsPointsAgeOut() {
    SeriesHistory h = new SeriesHistory(HistoryLimits.defaults(), clock);
    Event e = at("web1", "cpu", T0, 5);
    h.indexed(e);
    h.expired(e, e.withState("expired").withTimeMicros(micros(T0.plusSeconds(61))));
    clock.advance(Duration.ofSeconds(61));
    assertThat(values(h, CPU)).containsExactly(5);
    clock.advance(Duration.ofHours(1));
    h.prune();
    assertThat(h.points(CPU)).isEmpty();
  }

  @Test
  void pastTheNumberOfSeriesTheOneUpdatedLongestAgoIsDropped() {
    SeriesHistory h = new SeriesHistory(HistoryLimits.defaults().withMaxSeries(3), clock);
    h.record(at("a", "cpu", T0, 1));
    h.record(at("b", "cpu", T0, 1));
    h.record(at("c", "cpu", T0, 1));
    h.record(at("a", "cpu", T0.plusSeconds(1), 2)); // a is now the newest
    h.record(at("d", "cpu", T0, 1));                 // b goes
    assertThat(h.points(new IndexKey("b", "cpu"))).isEmpty();
    assertThat(values(h, new IndexKey("a", "cpu"))).containsExactly(1, 2);
    assertThat(h.points(new IndexKey("c", "cpu"))).isPresent();
    assertThat(h.points(new IndexKey("d", "cpu"))).isPresent();
    assertThat(h.droppedSeries()).isEqualTo(1);
    assertThat(h.prune()).extracting(SeriesHistory.Usage::series, SeriesHistory.Usage::points).containsExactly(3, 4L);
  }

  @Test
  void throughTheIndexEachSlotKeepsItsSeriesAndLooksItUpAgainOnceTheSeriesWasDropped() {
    SeriesHistory h = new SeriesHistory(HistoryLimits.defaults().withMaxSeries(2), clock);
    Index index = new Index(600);
    index.addListener(h);
    index.put(at("a", "cpu", T0, 1));
    index.put(at("a", "cpu", T0.plusSeconds(1), 2));
    assertThat(values(h, new IndexKey("a", "cpu"))).containsExactly(1, 2);
    index.put(at("b", "cpu", T0.plusSeconds(1), 1));
    index.put(at("c", "cpu", T0.plusSeconds(1), 1));   // a was updated longest ago: it goes
    assertThat(h.points(new IndexKey("a", "cpu"))).isEmpty();
    // a's slot still holds the dropped series: the next point starts a new one, counted once
    index.put(at("a", "cpu", T0.plusSeconds(2), 3));
    assertThat(values(h, new IndexKey("a", "cpu"))).containsExactly(3);
    assertThat(h.droppedSeries()).isEqualTo(2);
    assertThat(h.prune()).extracting(SeriesHistory.Usage::series, SeriesHistory.Usage::points).containsExactly(2, 2L);
  }

  @Test
  void pastTheLimitASixteenthOfTheSeriesGoesAtOnceOldestFirst() {
    SeriesHistory h = new SeriesHistory(HistoryLimits.defaults().withMaxSeries(64), clock);
    for (int i = 0; i < 64; i++) {
      h.record(at("h" + i, "cpu", T0, i));
    }
    h.record(at("h0", "cpu", T0.plusSeconds(1), 0)); // h0 is now the newest
    h.record(at("new", "cpu", T0, 1));
    assertThat(h.droppedSeries()).isEqualTo(4);
    assertThat(h.points(new IndexKey("h0", "cpu"))).isPresent();
    for (int i = 1; i <= 4; i++) {
      assertThat(h.points(new IndexKey("h" + i, "cpu"))).as("h" + i).isEmpty();
    }
    assertThat(h.points(new IndexKey("h5", "cpu"))).isPresent();
  }

  @Test
  void aQueryFindsTheSeriesByTheirLatestPoint() {
    SeriesHistory h = new SeriesHistory(HistoryLimits.defaults(), clock);
    h.record(at("web2", "cpu", T0.minusSeconds(5), 95));
    h.record(at("web1", "cpu", T0.minusSeconds(5), 10));
    h.record(at("web1", "cpu", T0, 91));
    h.record(at("web1", "load", T0, 99));
    h.record(at("db1", "cpu", T0, 50));
    List<SeriesPoints> found = h.matching(Query.parse("service = \"cpu\" and metric > 90"), 10);
    assertThat(found).extracting(SeriesPoints::host).containsExactly("web1", "web2");
    assertThat(found.get(0).values()).containsExactly(10, 91);
    assertThat(h.matching(Query.parse("service = \"cpu\""), 2)).extracting(SeriesPoints::host).containsExactly("db1", "web1");
    assertThat(h.matching(Query.parse("host = \"nowhere\""), 10)).isEmpty();
  }

  @Test
  void boundsThatMakeNoSenseAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> HistoryLimits.defaults().withPointsPerSeries(1)).isInstanceOf(UserError.class)
        .hasMessage("monitor.history-points: 1 is below the minimum of 2");
    assertThatThrownBy(() -> HistoryLimits.defaults().withMaxSeries(0)).isInstanceOf(UserError.class)
        .hasMessage("monitor.history-series: 0 is below the minimum of 1");
    assertThatThrownBy(() -> HistoryLimits.defaults().withWindow(Duration.ZERO)).isInstanceOf(UserError.class)
        .hasMessageStartingWith("monitor.history-window: must be positive");
  }

  @Test
  void aPointHoldsSixteenBytesOfHeapAsUsageCountsThem() {
    int seriesCount = 1_000;
    int perSeries = 720;
    long before = heapAfterCollection();
    SeriesHistory h = new SeriesHistory(HistoryLimits.defaults(), clock);
    for (int s = 0; s < seriesCount; s++) {
      String host = "host" + s;
      for (int i = 0; i < perSeries; i++) {
        h.record(at(host, "cpu", T0.minusSeconds(perSeries - i), i));
      }
    }
    SeriesHistory.Usage u = h.prune();
    long retained = heapAfterCollection() - before;
    assertThat(u.points()).isEqualTo((long) seriesCount * perSeries);
    // what usage() reports: 16 bytes a point once a series is full, the series' own objects beside
    assertThat(u.bytes() / (double) u.points()).isBetween(16.0, 16.0 + SeriesHistory.SERIES_OVERHEAD_BYTES / (double) perSeries);
    // what the heap really holds (the host names included) is within 10 % of it
    assertThat((double) retained).isBetween(u.bytes() * 0.9, u.bytes() * 1.1);
    assertThat(values(h, new IndexKey("host0", "cpu"))).hasSize(perSeries);
  }

  static long heapAfterCollection() {
    var memory = java.lang.management.ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}

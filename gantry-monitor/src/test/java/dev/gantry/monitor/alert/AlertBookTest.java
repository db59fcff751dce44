package dev.gantry.monitor.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The alert state machine in virtual time. */
class AlertBookTest {
  Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
  AlertBook book = new AlertBook();

  @BeforeEach
  void policy() {
    book.policies(Map.of("r", new AlertPolicy(List.of(), true, Duration.ofSeconds(10), Duration.ofHours(1), true)));
  }

  Condition on(String host, String service) {
    return new Condition("disk-full", host, service, true, "critical", host + " full", 95.0, Duration.ofMinutes(1));
  }

  Condition off(String host, String service) {
    return new Condition("disk-full", host, service, false, null, host + " fine", 50.0, Duration.ofMinutes(1));
  }

  List<String> due(Instant at) {
    return book.due(at).stream().map(o -> o.message().title()).toList();
  }

  @Test
  void pendingThenFiringThenResolvedWithOneNotificationEach() {
    book.observe("r", on("db1", "/data"), t0);
    assertThat(book.alerts()).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(Status.PENDING));
    book.tick(t0.plusSeconds(59));
    assertThat(due(t0.plusSeconds(59))).isEmpty();
    book.tick(t0.plusSeconds(60));
    assertThat(book.alerts().get(0).status()).isEqualTo(Status.FIRING);
    assertThat(due(t0.plusSeconds(65))).as("group wait").isEmpty();
    assertThat(due(t0.plusSeconds(70))).containsExactly("FIRING disk-full on db1");
    for (int i = 0; i < 100; i++) {
      book.observe("r", on("db1", "/data"), t0.plusSeconds(71 + i));
      assertThat(due(t0.plusSeconds(71 + i))).as("deduplicated").isEmpty();
    }
    book.observe("r", off("db1", "/data"), t0.plusSeconds(300));
    assertThat(due(t0.plusSeconds(310))).containsExactly("RESOLVED disk-full on db1");
    assertThat(due(t0.plusSeconds(400))).isEmpty();
  }

  @Test
  void aProblemThatEndsWhilePendingIsNeverNotified() {
    book.observe("r", on("db1", "/data"), t0);
    book.observe("r", off("db1", "/data"), t0.plusSeconds(30));
    book.tick(t0.plusSeconds(120));
    assertThat(due(t0.plusSeconds(120))).isEmpty();
    assertThat(book.alerts()).isEmpty();
  }

  @Test
  void alertsOfAHostAreGroupedAndRepeated() {
    book.observe("r", new Condition("disk-full", "db1", "/a", true, "critical", "a", 1.0, Duration.ZERO), t0);
    book.observe("r", new Condition("disk-full", "db1", "/b", true, "critical", "b", 1.0, Duration.ZERO), t0.plusSeconds(5));
    book.observe("r", new Condition("disk-full", "db2", "/a", true, "critical", "c", 1.0, Duration.ZERO), t0.plusSeconds(5));
    List<AlertBook.Outgoing> sent = book.due(t0.plusSeconds(10));
    assertThat(sent).extracting(o -> o.message().title()).containsExactly("FIRING (2) disk-full on db1");
    assertThat(sent.get(0).message().text()).contains("/a").contains("/b");
    assertThat(due(t0.plusSeconds(15))).containsExactly("FIRING disk-full on db2");
    assertThat(due(t0.plusSeconds(1800))).isEmpty();
    assertThat(due(t0.plus(Duration.ofHours(1)).plusSeconds(10))).containsExactly("FIRING (2) disk-full on db1");
  }

  @Test
  void silencesMuteMatchingAlertsUntilTheyEnd() {
    Silence s = book.silence("host = \"db1\" and alertname = \"disk-full\"", t0, t0.plusSeconds(600), "resize", "ops");
    book.observe("r", new Condition("disk-full", "db1", "/a", true, "critical", "a", 1.0, Duration.ZERO), t0);
    book.observe("r", new Condition("disk-full", "db2", "/a", true, "critical", "b", 1.0, Duration.ZERO), t0);
    assertThat(due(t0.plusSeconds(10))).containsExactly("FIRING disk-full on db2");
    assertThat(book.silenced(book.alert("disk-full", "db1", "/a").orElseThrow(), t0.plusSeconds(10))).isTrue();
    book.tick(t0.plusSeconds(601));
    assertThat(book.silences()).isEmpty();
    assertThat(due(t0.plusSeconds(601))).containsExactly("FIRING disk-full on db1");
  }

  @Test
  void anExpiredSilenceByIdEndsItNow() {
    Silence s = book.silence("host = \"db1\"", t0, t0.plusSeconds(600), "", "");
    assertThat(book.expireSilence(s.id())).isTrue();
    assertThat(book.expireSilence(s.id())).isFalse();
  }

  @Test
  void badSilencesAreRefused() {
    assertThatThrownBy(() -> book.silence("host = ", t0, t0.plusSeconds(60), "", "")).isInstanceOf(UserError.class)
        .hasMessageContaining("expected a value");
    assertThatThrownBy(() -> book.silence("true", t0, t0, "", "")).isInstanceOf(UserError.class)
        .hasMessageContaining("is not after the start");
  }

  @Test
  void stateRoundTripsThroughTheStore(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    book.observe("r", on("db1", "/data"), t0);
    book.tick(t0.plusSeconds(60));
    book.due(t0.plusSeconds(70));
    book.silence("host = \"x\"", t0, t0.plusSeconds(600), "c", "a");
    AlertStore store = new AlertStore(dir.resolve("alerts.json"));
    store.save(book.state());
    AlertBook back = new AlertBook();
    back.restore(store.load());
    assertThat(back.state()).isEqualTo(book.state());
  }
}

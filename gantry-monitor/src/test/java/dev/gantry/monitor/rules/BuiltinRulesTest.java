package dev.gantry.monitor.rules;

import static dev.gantry.monitor.rules.BuiltinRules.diskFull;
import static dev.gantry.monitor.rules.BuiltinRules.hostDown;
import static dev.gantry.monitor.rules.BuiltinRules.httpErrorRate;
import static dev.gantry.monitor.rules.BuiltinRules.httpLatency;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.monitor.alert.Status;
import dev.gantry.monitor.testing.RuleHarness;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BuiltinRulesTest {

  @Test
  void hostDownFiresOncePerHostAfterAllItsEventsExpired() {
    RuleHarness h = RuleHarness.of(Monitoring.rules().rule(hostDown(Duration.ofSeconds(30))).groupWait(Duration.ZERO));
    for (String svc : new String[] {"cpu", "memory", "df-root/percent_bytes-used"}) {
      h.send(h.event().host("web1").service(svc).state("ok").ttl(10).build());
    }
    h.send(h.event().host("web2").service("cpu").state("ok").ttl(1000).build());
    h.advance(Duration.ofSeconds(20));
    assertThat(h.titles()).isEmpty();
    assertThat(h.alerts()).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(Status.PENDING));
    h.advance(Duration.ofSeconds(30));
    assertThat(h.titles()).containsExactly("FIRING host-down on web1");
    h.advance(Duration.ofMinutes(5));
    assertThat(h.titles()).hasSize(1);
    h.send(h.event().host("web1").service("cpu").state("ok").ttl(10).build());
    h.advance(Duration.ofSeconds(1));
    assertThat(h.titles()).containsExactly("FIRING host-down on web1", "RESOLVED host-down on web1");
  }

  @Test
  void aHostBackWithinTheGraceSendsNothing() {
    RuleHarness h = RuleHarness.of(Monitoring.rules().rule(hostDown(Duration.ofMinutes(2))).groupWait(Duration.ZERO));
    h.send(h.event().host("web1").service("cpu").ttl(5).build());
    h.advance(Duration.ofSeconds(60));
    h.send(h.event().host("web1").service("cpu").ttl(5).build());
    h.advance(Duration.ofMinutes(1));
    assertThat(h.titles()).isEmpty();
  }

  @Test
  void diskFullFiresOnceWithAForecastAndResolvesOnce() {
    RuleHarness h = RuleHarness.of(Monitoring.rules().rule(diskFull(90)).groupWait(Duration.ZERO));
    double used = 80;
    for (int i = 0; i < 20; i++) {
      h.send(h.event().host("db1").service("df-data/percent_bytes-used").metric(used).ttl(120).build());
      used += 0.75;
      h.advance(Duration.ofMinutes(1));
    }
    assertThat(h.titles()).containsExactly("FIRING disk-full on db1");
    assertThat(h.sent().get(0).message().text()).contains("filesystem data is 9").contains("full in about");
    h.send(h.event().host("db1").service("df-data/percent_bytes-used").metric(50.0).ttl(120).build());
    h.advance(Duration.ofSeconds(1));
    assertThat(h.titles()).containsExactly("FIRING disk-full on db1", "RESOLVED disk-full on db1");
  }

  @Test
  void diskFullWarnsAheadWhenTheForecastSaysSoon() {
    RuleHarness h = RuleHarness.of(Monitoring.rules().rule(diskFull(95, Duration.ofHours(2))).groupWait(Duration.ZERO));
    for (int i = 0; i < 10; i++) {
      h.send(h.event().host("db1").service("df-root/percent_bytes-used").metric(60.0 + i * 3).ttl(600).build());
      h.advance(Duration.ofMinutes(5));
    }
    assertThat(h.alerts()).singleElement().satisfies(a -> {
      assertThat(a.severity()).isEqualTo("warning");
      assertThat(a.summary()).contains("full in about");
    });
  }

  @Test
  void httpErrorRateAlertsWhenTooManyRequestsFail() {
    RuleHarness h = RuleHarness.of(Monitoring.rules().rule(httpErrorRate(0.05, Duration.ofMinutes(1))).groupWait(Duration.ZERO));
    for (int i = 0; i < 100; i++) {
      h.send(h.event().host("app1").service("capital http").tags("http").attribute("status", i % 5 == 0 ? "503" : "200")
          .metric(12.0).build());
    }
    h.advance(Duration.ofMinutes(1));
    assertThat(h.titles()).containsExactly("FIRING http-errors on app1");
    assertThat(h.query("service = \"capital http error ratio\"")).singleElement()
        .satisfies(e -> assertThat(e.metricValue()).isEqualTo(0.2));
  }

  @Test
  void requestsLeavingTheIndexAreNotCountedAgain() {
    RuleHarness h = RuleHarness.of(Monitoring.rules().rule(httpErrorRate(0.05, Duration.ofMinutes(1)))
        .rule(httpLatency(0.99, Duration.ofMillis(200), Duration.ofMinutes(1))).groupWait(Duration.ZERO));
    for (int i = 0; i < 100; i++) {
      // expire after 10 s, well inside both windows
      h.send(h.event().host("app1").service("capital http").tags("http").attribute("status", "200")
          .metric(i < 99 ? 50.0 : 900.0).ttl(10).build());
    }
    h.advance(Duration.ofMinutes(1));
    assertThat(h.query("service = \"capital http error ratio\"")).singleElement()
        .satisfies(e -> assertThat(e.attribute("requests")).isEqualTo("100"));
    // the latency window closes within another minute; its figure is indexed, not taken out
    // of the index by an expired request's state
    for (int s = 0; s < 60 && h.query("service = \"capital http 0.99\"").isEmpty(); s++) {
      h.advance(Duration.ofSeconds(1));
    }
    assertThat(h.query("service = \"capital http 0.99\"")).singleElement()
        .satisfies(e -> assertThat(e.metricValue()).isEqualTo(50.0));
    assertThat(h.titles()).isEmpty();
  }

  @Test
  void httpLatencyAlertsOnTheQuantile() {
    RuleHarness h = RuleHarness.of(Monitoring.rules().rule(httpLatency(0.99, Duration.ofMillis(200), Duration.ofMinutes(1)))
        .groupWait(Duration.ZERO));
    for (int i = 1; i <= 100; i++) {
      h.send(h.event().host("app1").service("capital http").tags("http").metric(i <= 97 ? 50.0 : 900.0).build());
    }
    // the first window lasts one to two minutes (Streams.percentiles)
    h.advance(Duration.ofMinutes(1));
    for (int s = 0; s < 60 && h.titles().isEmpty(); s++) {
      h.advance(Duration.ofSeconds(1));
    }
    assertThat(h.titles()).containsExactly("FIRING http-latency on app1");
    assertThat(h.query("service = \"capital http 0.99\"")).singleElement()
        .satisfies(e -> assertThat(e.metricValue()).isEqualTo(900.0));
  }
}

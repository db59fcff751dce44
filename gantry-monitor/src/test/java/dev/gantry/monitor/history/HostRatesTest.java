package dev.gantry.monitor.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.testing.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HostRatesTest {
  static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
  final VirtualClock clock = new VirtualClock(T0);

  @Test
  void eventsPerSecondByHostInCompleteBucketsOldestFirst() {
    HostRates rates = new HostRates(100, clock);
    for (int i = 0; i < 50; i++) {
      rates.indexed(Event.builder().host("web1").service("cpu").build());
    }
    rates.indexed(Event.builder().host("db1").service("cpu").build());
    // the current bucket is not complete yet: nothing to show
    assertThat(rates.rates().hosts()).isEmpty();
    clock.advance(Duration.ofSeconds(10));
    for (int i = 0; i < 20; i++) {
      rates.count("web1");
    }
    clock.advance(Duration.ofSeconds(10));
    HostRates.Rates r = rates.rates();
    assertThat(r.bucketSeconds()).isEqualTo(10);
    assertThat(r.startSecond()).isEqualTo(T0.getEpochSecond() + 20 - 300);
    assertThat(r.hosts()).extracting(HostRates.HostRate::host).containsExactly("db1", "web1");
    double[] web1 = r.hosts().get(1).perSecond();
    assertThat(web1).hasSize(30);
    assertThat(web1[28]).isEqualTo(5.0);
    assertThat(web1[29]).isEqualTo(2.0);
    assertThat(web1[27]).isZero();
    assertThat(r.hosts().get(0).perSecond()[28]).isEqualTo(0.1);
  }

  @Test
  void oldBucketsAreForgottenAndASilentHostLeavesTheList() {
    HostRates rates = new HostRates(100, clock);
    rates.count("web1");
    clock.advance(Duration.ofMinutes(4));
    rates.count("web1");
    clock.advance(Duration.ofSeconds(10));
    double[] web1 = rates.rates().hosts().get(0).perSecond();
    assertThat(web1[29]).isEqualTo(0.1);
    assertThat(web1[29 - 24]).isEqualTo(0.1);
    // after a long silence the ring's old counts do not come back as new
    clock.advance(Duration.ofMinutes(7));
    rates.count("web1");
    clock.advance(Duration.ofSeconds(10));
    web1 = rates.rates().hosts().get(0).perSecond();
    assertThat(java.util.Arrays.stream(web1).sum()).isEqualTo(0.1);
    clock.advance(Duration.ofMinutes(6));
    assertThat(rates.rates().hosts()).isEmpty();
  }

  @Test
  void pastTheNumberOfHostsTheOneHeardFromLongestAgoIsDropped() {
    HostRates rates = new HostRates(2, clock);
    rates.count("a");
    rates.count("b");
    rates.count("a");
    rates.count("c");
    clock.advance(Duration.ofSeconds(10));
    assertThat(rates.hosts()).isEqualTo(2);
    assertThat(rates.rates().hosts()).extracting(HostRates.HostRate::host).containsExactly("a", "c");
  }
}

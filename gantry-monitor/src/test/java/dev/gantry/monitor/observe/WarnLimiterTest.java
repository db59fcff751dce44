package dev.gantry.monitor.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WarnLimiterTest {
  @Test
  void theFirstOfAKindIsLoggedThenOnePerIntervalTellingHowManyWereLeftOut() {
    AtomicLong now = new AtomicLong();
    WarnLimiter limiter = new WarnLimiter(10, now::get);
    assertThat(limiter.admit("tcp malformed")).isEqualTo(OptionalLong.of(0));
    assertThat(limiter.admit("udp oversized")).as("another kind").isEqualTo(OptionalLong.of(0));
    now.set(3);
    assertThat(limiter.admit("tcp malformed")).isEmpty();
    assertThat(limiter.admit("tcp malformed")).isEmpty();
    now.set(10);
    assertThat(limiter.admit("tcp malformed")).isEqualTo(OptionalLong.of(2));
    now.set(19);
    assertThat(limiter.admit("tcp malformed")).isEmpty();
    now.set(40);
    assertThat(limiter.admit("tcp malformed")).isEqualTo(OptionalLong.of(1));
    assertThat(limiter.admit("udp oversized")).isEqualTo(OptionalLong.of(0));
  }
}

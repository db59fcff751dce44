package dev.gantry.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy p = new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(5));

  @Test
  void backsOffExponentiallyUpToTheMaximum() {
    assertThat(p.delayAfter(1, null)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.delayAfter(2, null)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.delayAfter(5, null)).isEqualTo(Duration.ofSeconds(16));
    assertThat(p.delayAfter(6, null)).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.delayAfter(60, null)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void waitsAtLeastWhatTheReceiverAsksButNoLongerThanTheMaximum() {
    assertThat(p.delayAfter(1, Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.delayAfter(4, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(8));
    assertThat(p.delayAfter(1, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

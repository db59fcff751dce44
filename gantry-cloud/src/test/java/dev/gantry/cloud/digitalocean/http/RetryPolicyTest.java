package dev.gantry.cloud.digitalocean.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The retry decisions and the rate limiter as pure functions of time. */
class RetryPolicyTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private final RetryPolicy policy = RetryPolicy.defaults();

  private static RetryPolicy.Headers headers(Map<String, String> h) {
    return name -> Optional.ofNullable(h.get(name));
  }

  @Test
  void backoffDoublesUpToTheCap() {
    assertThat(policy.backoff(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(policy.backoff(4)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.backoff(30)).isEqualTo(Duration.ofSeconds(16));
  }

  @Test
  void theServersHintWinsAndAnExcessiveOneGivesUp() {
    assertThat(policy.decide(1, 429, headers(Map.of("retry-after", "12")), false, NOW))
        .isEqualTo(new RetryPolicy.Decision.Retry(Duration.ofSeconds(12)));
    assertThat(policy.decide(1, 429, headers(Map.of("ratelimit-reset", String.valueOf(NOW.getEpochSecond() + 30))), false, NOW))
        .isEqualTo(new RetryPolicy.Decision.Retry(Duration.ofSeconds(30)));
    assertThat(policy.decide(1, 429, headers(Map.of("ratelimit-reset", String.valueOf(NOW.getEpochSecond() - 5))), false, NOW))
        .isEqualTo(new RetryPolicy.Decision.Retry(Duration.ZERO));
    assertThat(policy.decide(1, 429, headers(Map.of("retry-after", "3600")), false, NOW))
        .isEqualTo(new RetryPolicy.Decision.GiveUp("the API asks to wait 3600 s, longer than 120 s"));
    assertThat(policy.decide(1, 429, headers(Map.of("retry-after", "soon")), false, NOW))
        .isEqualTo(new RetryPolicy.Decision.Retry(Duration.ofMillis(500)));
  }

  @Test
  void clientErrorsAndUnsafeRepeatsAreNotRetried() {
    assertThat(policy.decide(1, 422, headers(Map.of()), true, NOW)).isInstanceOf(RetryPolicy.Decision.GiveUp.class);
    assertThat(policy.decide(1, 502, headers(Map.of()), false, NOW)).isInstanceOf(RetryPolicy.Decision.GiveUp.class);
    assertThat(policy.decide(1, 502, headers(Map.of()), true, NOW)).isInstanceOf(RetryPolicy.Decision.Retry.class);
    assertThat(policy.decide(5, 502, headers(Map.of()), true, NOW))
        .isEqualTo(new RetryPolicy.Decision.GiveUp("gave up after 5 attempts"));
  }

  @Test
  void rateLimiterHonoursItsBudgetAndTheServersCount() {
    Instant[] now = {NOW};
    RateLimiter limiter = RateLimiter.perMinute(60, () -> now[0]);
    for (int i = 0; i < 60; i++) {
      assertThat(limiter.reserve()).isZero();
    }
    assertThat(limiter.reserve()).isEqualTo(Duration.ofSeconds(1));
    now[0] = NOW.plusSeconds(61);
    assertThat(limiter.reserve()).isZero();
    limiter.observe(Optional.of("0"), Optional.of(String.valueOf(NOW.getEpochSecond() + 91)));
    assertThat(limiter.reserve()).isEqualTo(Duration.ofSeconds(30));
  }
}

package dev.gantry.core.notify;

import java.time.Duration;

/**
 * How often and how patiently a notifier tries: up to {@code maxAttempts} tries, waiting
 * {@code baseDelay}, then twice that, and so on up to {@code maxDelay} between them; each
 * try may take {@code requestTimeout}.
 *
 * <pre>{@code
 * var patient = new RetryPolicy(8, Duration.ofSeconds(2), Duration.ofMinutes(2), Duration.ofSeconds(10));
 * new SlackNotifier(hook, patient);
 * }</pre>
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration requestTimeout) {

  /** 5 attempts, 1 s growing to 30 s apart, 10 s per request. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0 || requestTimeout.isNegative()
        || requestTimeout.isZero()) {
      throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay and a positive requestTimeout");
    }
  }

  /**
   * The pause after failed attempt number {@code attempt} (1-based): exponential, at least
   * what the receiver asked for ({@code retryAfter}, may be null), never above {@code maxDelay}.
   */
  public Duration delayAfter(int attempt, Duration retryAfter) {
    Duration backoff = baseDelay.multipliedBy(1L << Math.min(attempt - 1, 30));
    if (backoff.compareTo(maxDelay) > 0 || backoff.isNegative()) {
      backoff = maxDelay;
    }
    if (retryAfter != null && retryAfter.compareTo(backoff) > 0) {
      backoff = retryAfter.compareTo(maxDelay) > 0 ? maxDelay : retryAfter;
    }
    return backoff;
  }
}

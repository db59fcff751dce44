package dev.gantry.cloud.digitalocean.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When to try a request again, as a pure function of the attempt, the answer and the time.
 * 429 and 5xx are retried; the server's own hint wins ({@code retry-after}, then
 * {@code ratelimit-reset}), otherwise the wait doubles from {@code base} up to {@code cap}.
 * A POST is retried on 5xx only when it is safe to repeat (the caller says so), because a
 * create that failed half-way may already exist.
 *
 * <pre>{@code
 * RetryPolicy p = RetryPolicy.defaults();
 * Optional<Duration> wait = p.delay(1, 429, Map.of("retry-after", "2")::get, true, clock.instant());
 * }</pre>
 *
 * @param maxAttempts attempts in all, the first included
 * @param base the first back-off
 * @param cap the longest back-off the policy chooses itself
 * @param maxWait the longest wait accepted from the server; beyond it the call fails
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration cap, Duration maxWait) {
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /** Five attempts, 500 ms doubling to 16 s; the server may ask for up to 2 minutes. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(16), Duration.ofMinutes(2));
  }

  /** A header lookup by lower-case name. */
  @FunctionalInterface
  public interface Headers {
    Optional<String> get(String lowerCaseName);
  }

  /** The decision for one failed answer. */
  public sealed interface Decision {
    record Retry(Duration after) implements Decision {}

    record GiveUp(String reason) implements Decision {}
  }

  /** Whether an HTTP status is worth another try at all. */
  public static boolean retryable(int status) {
    return status == 429 || status >= 500;
  }

  /**
   * What to do after attempt {@code attempt} (1-based) answered {@code status}.
   *
   * @param repeatable whether the request may be sent again after a server error
   */
  public Decision decide(int attempt, int status, Headers headers, boolean repeatable, Instant now) {
    if (!retryable(status)) {
      return new Decision.GiveUp("HTTP " + status + " is not retried");
    }
    if (status >= 500 && !repeatable) {
      return new Decision.GiveUp("a server error on a request that is not safe to repeat");
    }
    if (attempt >= maxAttempts) {
      return new Decision.GiveUp("gave up after " + attempt + " attempts");
    }
    Duration wait = serverHint(status, headers, now).orElseGet(() -> backoff(attempt));
    if (wait.compareTo(maxWait) > 0) {
      return new Decision.GiveUp("the API asks to wait " + wait.toSeconds() + " s, longer than "
          + maxWait.toSeconds() + " s");
    }
    return new Decision.Retry(wait);
  }

  /** A failure before any answer (connection refused, reset): the same rules as a 503. */
  public Decision decideOnIoFailure(int attempt, boolean repeatable) {
    if (!repeatable) {
      return new Decision.GiveUp("the request is not safe to repeat");
    }
    if (attempt >= maxAttempts) {
      return new Decision.GiveUp("gave up after " + attempt + " attempts");
    }
    return new Decision.Retry(backoff(attempt));
  }

  Duration backoff(int attempt) {
    long factor = 1L << Math.min(attempt - 1, 20);
    Duration d = base.multipliedBy(factor);
    return d.compareTo(cap) > 0 ? cap : d;
  }

  static Optional<Duration> serverHint(int status, Headers headers, Instant now) {
    Optional<Duration> retryAfter = headers.get("retry-after").flatMap(v -> parseRetryAfter(v, now));
    if (retryAfter.isPresent()) {
      return retryAfter;
    }
    if (status == 429) {
      return headers.get("ratelimit-reset").flatMap(RetryPolicy::parseLong)
          .map(epoch -> Duration.between(now, Instant.ofEpochSecond(epoch)))
          .map(d -> d.isNegative() ? Duration.ZERO : d);
    }
    return Optional.empty();
  }

  /** {@code Retry-After} is either delay-seconds or an HTTP date (RFC 9110). */
  static Optional<Duration> parseRetryAfter(String value, Instant now) {
    Optional<Long> seconds = parseLong(value.strip());
    if (seconds.isPresent()) {
      return Optional.of(Duration.ofSeconds(Math.max(0, seconds.get())));
    }
    try {
      Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<Long> parseLong(String s) {
    try {
      return Optional.of(Long.parseLong(s.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}

package dev.gantry.cloud.digitalocean.http;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Keeps the client under DigitalOcean's limits before the server has to say no: a token
 * bucket (by default 250 requests a minute, the API's per-minute limit) plus the server's
 * own count: when an answer says {@code ratelimit-remaining: 0}, requests wait until
 * {@code ratelimit-reset}.
 *
 * <pre>{@code
 * RateLimiter limiter = RateLimiter.perMinute(250, clock);
 * Duration wait = limiter.reserve();   // then sleep that long before sending
 * }</pre>
 */
public final class RateLimiter {
  private final int capacity;
  private final Duration refillEvery;
  private final InstantSource clock;
  private double tokens;
  private Instant lastRefill;
  private Instant blockedUntil = Instant.MIN;

  private RateLimiter(int capacity, Duration period, InstantSource clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a rate limit needs at least one request per period");
    }
    this.capacity = capacity;
    this.refillEvery = period.dividedBy(capacity);
    this.clock = clock;
    this.tokens = capacity;
    this.lastRefill = clock.instant();
  }

  /** At most {@code requests} per minute, with a burst of the same size. */
  public static RateLimiter perMinute(int requests, InstantSource clock) {
    return new RateLimiter(requests, Duration.ofMinutes(1), clock);
  }

  /**
   * Takes a slot and says how long to wait before using it (zero when one is free now).
   * Callers sleep outside the lock, so waiting never blocks the others' bookkeeping.
   */
  public synchronized Duration reserve() {
    Instant now = clock.instant();
    refill(now);
    Duration wait = Duration.ZERO;
    if (now.isBefore(blockedUntil)) {
      wait = Duration.between(now, blockedUntil);
    }
    tokens -= 1;
    if (tokens < 0) {
      Duration bucketWait = Duration.ofNanos((long) Math.ceil(-tokens * refillEvery.toNanos()));
      wait = bucketWait.compareTo(wait) > 0 ? bucketWait : wait;
    }
    return wait;
  }

  /** Notes the server's count from an answer's headers. */
  public synchronized void observe(Optional<String> remaining, Optional<String> resetEpochSeconds) {
    if (remaining.map(String::strip).filter("0"::equals).isPresent()) {
      resetEpochSeconds.flatMap(RateLimiter::parseLong).map(Instant::ofEpochSecond)
          .filter(reset -> reset.isAfter(blockedUntil))
          .ifPresent(reset -> blockedUntil = reset);
    }
  }

  private void refill(Instant now) {
    if (now.isAfter(lastRefill)) {
      double add = (double) Duration.between(lastRefill, now).toNanos() / refillEvery.toNanos();
      tokens = Math.min(capacity, tokens + add);
      lastRefill = now;
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

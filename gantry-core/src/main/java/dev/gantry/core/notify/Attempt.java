package dev.gantry.core.notify;

import java.time.Duration;

/** What one try of sending came to; decides whether {@link QueuedNotifier} tries again. */
public sealed interface Attempt {

  /** The receiver accepted it. */
  record Delivered(String detail) implements Attempt {}

  /** A passing problem (timeout, 5xx, 429, connection refused): try again later. */
  record Retryable(String detail, Duration retryAfter) implements Attempt {
    public Retryable(String detail) {
      this(detail, null);
    }
  }

  /** The receiver refused it for good (bad URL, bad credentials, 4xx): do not try again. */
  record Permanent(String detail) implements Attempt {}
}

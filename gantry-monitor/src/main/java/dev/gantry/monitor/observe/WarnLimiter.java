package dev.gantry.monitor.observe;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Decides which of many similar warnings reach the log: the first of each kind, then at
 * most one per interval, which says how many it stands for. A flood of garbage thus costs
 * a line every few seconds, not one per frame.
 *
 * <pre>{@code
 * WarnLimiter limiter = new WarnLimiter(Duration.ofSeconds(10).toNanos(), System::nanoTime);
 * limiter.admit("tcp malformed").ifPresent(skipped -> log.warn("... ({} more not logged)", skipped));
 * }</pre>
 */
public final class WarnLimiter {
  private static final class Kind {
    long lastLogged;
    long skipped;
  }

  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Kind> kinds = new HashMap<>();

  public WarnLimiter(long intervalNanos, LongSupplier nanoClock) {
    this.intervalNanos = intervalNanos;
    this.nanoClock = nanoClock;
  }

  /**
   * Empty when a warning of {@code kind} was logged less than the interval ago (it is
   * counted); else the number of warnings of that kind left out since the last one logged.
   */
  public synchronized OptionalLong admit(String kind) {
    long now = nanoClock.getAsLong();
    Kind k = kinds.get(kind);
    if (k == null) {
      k = new Kind();
      k.lastLogged = now;
      kinds.put(kind, k);
      return OptionalLong.of(0);
    }
    if (now - k.lastLogged < intervalNanos) {
      k.skipped++;
      return OptionalLong.empty();
    }
    long skipped = k.skipped;
    k.lastLogged = now;
    k.skipped = 0;
    return OptionalLong.of(skipped);
  }
}

package dev.gantry.server;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long a browser stays signed in: a session ends after {@code idle} without a request, and
 * after {@code absolute} however busy it is.
 *
 * <pre>{@code
 * SessionPolicy p = SessionPolicy.DEFAULT;              // 12 h idle, 7 d in all
 * boolean live = p.live(created, lastSeen, clock.instant());
 * }</pre>
 */
public record SessionPolicy(Duration idle, Duration absolute) {
  public static final SessionPolicy DEFAULT = new SessionPolicy(Duration.ofHours(12), Duration.ofDays(7));

  public SessionPolicy {
    Objects.requireNonNull(idle, "idle");
    Objects.requireNonNull(absolute, "absolute");
    if (idle.isNegative() || idle.isZero() || absolute.isNegative() || absolute.isZero()) {
      throw new IllegalArgumentException("session lifetimes must be positive (idle " + idle + ", absolute " + absolute + ")");
    }
  }

  /** True while a session made at {@code created} and last used at {@code lastSeen} may still be used at {@code now}. */
  public boolean live(Instant created, Instant lastSeen, Instant now) {
    return now.isBefore(lastSeen.plus(idle)) && now.isBefore(created.plus(absolute)) && !now.isBefore(created);
  }

  /** When the session ends if it is not used again; for the cookie's Max-Age. */
  public Instant end(Instant created, Instant lastSeen) {
    Instant idleEnd = lastSeen.plus(idle);
    Instant hardEnd = created.plus(absolute);
    return idleEnd.isBefore(hardEnd) ? idleEnd : hardEnd;
  }
}

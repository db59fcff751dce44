package dev.gantry.monitor.alert;

import dev.gantry.monitor.query.Query;
import java.time.Instant;

/**
 * Mutes notifications of the alerts matching {@code query} (the query language over an
 * alert's {@code alertname}, {@code host}, {@code service}, {@code state}) between two
 * instants; alerts are still tracked and show as silenced.
 *
 * <pre>{@code
 * book.silence("host = \"web1\"", now, now.plus(Duration.ofHours(2)), "kernel upgrade", "ops");
 * }</pre>
 */
public record Silence(String id, String query, Instant startsAt, Instant endsAt, String comment, String author) {
  public Silence {
    Query.parse(query);
    if (!endsAt.isAfter(startsAt)) {
      throw new dev.gantry.core.UserError("silence: the end " + endsAt + " is not after the start " + startsAt);
    }
  }

  public boolean activeAt(Instant now) {
    return !now.isBefore(startsAt) && now.isBefore(endsAt);
  }

  public boolean matches(Alert a) {
    return Query.parse(query).matches(a.asEvent());
  }
}

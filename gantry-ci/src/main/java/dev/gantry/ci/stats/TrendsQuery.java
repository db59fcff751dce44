package dev.gantry.ci.stats;

import dev.gantry.core.UserError;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * What {@code GET /api/ci/stats/trends?days=30&tz=Europe/Berlin} asks for; both parameters are
 * optional (30 days, UTC) and a bad one is a {@link UserError} saying what is expected.
 *
 * <pre>{@code
 * TrendsQuery q = TrendsQuery.parse(ctx.queryParam("days"), ctx.queryParam("tz"));
 * }</pre>
 */
public record TrendsQuery(int days, ZoneId zone) {
  public static final int DEFAULT_DAYS = 30;

  /** {@code days} and {@code tz} as the request gives them, {@code null} when absent. */
  public static TrendsQuery parse(String days, String tz) {
    int n = DEFAULT_DAYS;
    if (days != null && !days.isBlank()) {
      if (!days.strip().matches("\\d{1,4}") || Integer.parseInt(days.strip()) < 1
          || Integer.parseInt(days.strip()) > TrendsCalculator.MAX_DAYS) {
        throw new UserError("days: give a whole number from 1 to " + TrendsCalculator.MAX_DAYS + ", got '" + clip(days) + "'");
      }
      n = Integer.parseInt(days.strip());
    }
    ZoneId zone = ZoneOffset.UTC;
    if (tz != null && !tz.isBlank()) {
      try {
        zone = ZoneId.of(tz.strip());
      } catch (DateTimeException e) {
        throw new UserError("tz: '" + clip(tz) + "' is not a time zone; give a name such as Europe/Berlin or UTC");
      }
    }
    return new TrendsQuery(n, zone);
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}

package dev.gantry.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h},
 * {@code 1d}, combined like {@code 1h30m}; ISO-8601 ({@code PT30S}) is accepted too.
 *
 * <pre>{@code
 * Duration d = Durations.parse("1m30s");   // PT1M30S
 * String s = Durations.format(d);          // "1m30s"
 * }</pre>
 */
public final class Durations {
  private static final Pattern WHOLE = Pattern.compile("(\\d+(ms|s|m|h|d))+");
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  /** Parses {@code text}; throws {@link IllegalArgumentException} saying what is expected. */
  public static Duration parse(String text) {
    String t = text.strip();
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        return Duration.parse(t);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(expected());
      }
    }
    if (!WHOLE.matcher(t).matches()) {
      throw new IllegalArgumentException(expected());
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(t);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      });
    }
    return total;
  }

  /** The shortest text {@link #parse} reads back to the same duration. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
      return d.toString();
    }
    StringBuilder sb = new StringBuilder();
    append(sb, d.toDaysPart(), "d");
    append(sb, d.toHoursPart(), "h");
    append(sb, d.toMinutesPart(), "m");
    append(sb, d.toSecondsPart(), "s");
    append(sb, d.toMillisPart(), "ms");
    return sb.toString();
  }

  private static void append(StringBuilder sb, long n, String unit) {
    if (n != 0) {
      sb.append(n).append(unit);
    }
  }

  static String expected() {
    return "a duration like 500ms, 30s, 5m, 2h, 1d or 1h30m";
  }
}

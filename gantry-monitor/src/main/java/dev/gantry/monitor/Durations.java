package dev.gantry.monitor;

import dev.gantry.core.UserError;
import java.time.Duration;

/**
 * Durations people type ({@code 90s}, {@code 30m}, {@code 2h}, {@code 1d}, ISO {@code PT2H})
 * through Gantry's configuration syntax, refused as a {@link UserError} naming the option.
 */
public final class Durations {
  private Durations() {}

  /** The positive duration {@code text} names; {@code what} names the option in the error. */
  public static Duration parse(String text, String what) {
    if (text == null || text.isBlank()) {
      throw new UserError(what + ": a duration is required, e.g. 30m or 2h");
    }
    Duration d;
    try {
      d = dev.gantry.core.config.Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UserError(what + ": '" + text + "' is not a duration (" + e.getMessage() + ")");
    }
    if (d.isNegative() || d.isZero()) {
      throw new UserError(what + ": '" + text + "' must be positive");
    }
    return d;
  }
}

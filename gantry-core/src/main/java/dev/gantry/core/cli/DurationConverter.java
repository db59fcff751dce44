package dev.gantry.core.cli;

import dev.gantry.core.config.Durations;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;

/**
 * The converter of every command-line flag that takes a time: {@code 500ms}, {@code 90s},
 * {@code 10m}, {@code 1h30m} as in the configuration, and a bare number as seconds. A bad
 * value is a usage error saying what is expected.
 *
 * <pre>{@code
 * @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class)
 * Duration timeout;
 * }</pre>
 */
public final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.strip();
    try {
      Duration d = v.matches("\\d{1,12}") ? Duration.ofSeconds(Long.parseLong(v)) : Durations.parse(v);
      if (d.isNegative()) {
        throw new IllegalArgumentException("it must not be negative");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: " + e.getMessage()
          + "; a bare number is seconds");
    }
  }
}

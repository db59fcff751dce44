package dev.gantry.cloud.cli;

import dev.gantry.core.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** {@code 90s}, {@code 10m}, {@code 1h}: a bad value is a usage error saying what is expected. */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    return Durations.parse(value);
  }
}

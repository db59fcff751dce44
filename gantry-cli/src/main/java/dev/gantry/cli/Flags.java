package dev.gantry.cli;

import dev.gantry.core.config.Setting;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * A command's flags by the setting each one gives, for {@link dev.gantry.core.config.Config}'s
 * top layer. Each value is checked as it is added, so a bad one is a usage error that names the
 * flag rather than the setting alone.
 *
 * <pre>{@code
 * Flags flags = new Flags(cmd).put("--port", ServerConfig.PORT, port);   // port: null when not given
 * Config config = Config.builder(settings).flags(flags.byKey()).build();
 * }</pre>
 */
final class Flags {
  private final CommandLine cmd;
  private final Map<String, String> byKey = new LinkedHashMap<>();

  Flags(CommandLine cmd) {
    this.cmd = cmd;
  }

  /** {@code value} of {@code flag} as the value of {@code setting}; nothing when the flag was not given (null). */
  Flags put(String flag, Setting<?> setting, String value) {
    if (value == null) {
      return this;
    }
    try {
      setting.parse(value);
    } catch (IllegalArgumentException e) {
      String shown = setting.isSecret() ? "the value" : "'" + value + "'";
      throw new ParameterException(cmd, flag + ": " + shown + " is not " + setting.expected()
          + " (setting " + setting.key() + ")");
    }
    byKey.put(setting.key(), value);
    return this;
  }

  /** {@link #put} for a flag whose value picocli has already read as a number. */
  Flags put(String flag, Setting<?> setting, Integer value) {
    return put(flag, setting, value == null ? null : value.toString());
  }

  /** The values given, by setting key. */
  Map<String, String> byKey() {
    return Map.copyOf(byKey);
  }
}

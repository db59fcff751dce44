package dev.gantry.cli;

import dev.gantry.core.config.Config;
import dev.gantry.core.config.Setting;
import dev.gantry.core.config.Settings;
import dev.gantry.server.ServerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Where {@code gantry server} and {@code gantry up} listen and keep data. A flag wins over
 * the environment ({@code GANTRY_SERVER_PORT}), which wins over {@code gantry.yml}, which
 * wins over the default.
 */
final class ServerOptions {
  @Option(names = "--config", paramLabel = "FILE",
      description = "Configuration file (default: gantry.yml in the current folder, when present).")
  Path configFile;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: gantry-data).")
  String dataDir;

  @Option(names = "--host", paramLabel = "ADDR",
      description = "Address to bind the web server to (default: 127.0.0.1).")
  String host;

  @Option(names = "--port", paramLabel = "PORT", description = "HTTP port; 0 for any free port (default: 8080).")
  String port;

  /** The configuration of every capability, with this command's flags on top; a bad flag is a usage error. */
  Config config(CommandLine cmd, Settings settings) {
    Map<String, String> flags = new LinkedHashMap<>();
    flag(cmd, flags, "--data-dir", ServerConfig.DATA_DIR, dataDir);
    flag(cmd, flags, "--host", ServerConfig.HOST, host);
    flag(cmd, flags, "--port", ServerConfig.PORT, port);
    Config.Builder b = Config.builder(settings).flags(flags).environment(System.getenv());
    return (configFile != null ? b.requireFile(configFile) : b.file(Path.of("gantry.yml"))).build();
  }

  private static void flag(CommandLine cmd, Map<String, String> flags, String name, Setting<?> setting, String value) {
    if (value == null) {
      return;
    }
    try {
      setting.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cmd, name + ": '" + value + "' is not " + setting.expected()
          + " (setting " + setting.key() + ")");
    }
    flags.put(setting.key(), value);
  }
}

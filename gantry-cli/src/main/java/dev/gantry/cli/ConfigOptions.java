package dev.gantry.cli;

import dev.gantry.core.config.Config;
import dev.gantry.server.ServerConfig;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The flags of every command that runs Gantry's process ({@code up}, {@code server},
 * {@code monitor}): which file to read and where data lives. Such a command's configuration
 * is taken from the first of its flags, the environment ({@code GANTRY_SERVER_PORT}),
 * {@code gantry.yml} (or {@code --config}), and the settings' defaults.
 *
 * <pre>{@code
 * @Mixin ConfigOptions options;
 * Config config = options.config(new Flags(cmd).put("--bind", MonitorConfig.BIND, bind), System.getenv());
 * }</pre>
 */
class ConfigOptions {
  @Option(names = "--config", paramLabel = "FILE",
      description = "Configuration file (default: gantry.yml in the current folder, when present).")
  Path configFile;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: gantry-data).")
  String dataDir;

  /** The configuration of every capability, with {@code flags} and this command's own on top; a bad flag is a usage error. */
  Config config(Flags flags, Map<String, String> environment) {
    flags.put("--data-dir", ServerConfig.DATA_DIR, dataDir);
    Config.Builder b = Config.builder(Assembly.settings()).flags(flags.byKey()).environment(environment);
    return (configFile != null ? b.requireFile(configFile) : b.file(Path.of("gantry.yml"))).build();
  }
}

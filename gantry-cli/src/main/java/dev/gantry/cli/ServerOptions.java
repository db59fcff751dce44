package dev.gantry.cli;

import dev.gantry.core.config.Config;
import dev.gantry.server.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Where {@code gantry server} and {@code gantry up} listen and keep data. A flag wins over
 * the environment ({@code GANTRY_SERVER_PORT}), which wins over {@code gantry.yml}, which
 * wins over the default.
 */
final class ServerOptions extends ConfigOptions {
  @Option(names = "--host", paramLabel = "ADDR",
      description = "Address to bind the web server to (default: 127.0.0.1).")
  String host;

  @Option(names = "--port", paramLabel = "PORT", description = "HTTP port; 0 for any free port (default: 8080).")
  String port;

  /** The configuration of every capability, with this command's flags on top; a bad flag is a usage error. */
  Config config(CommandLine cmd) {
    return config(new Flags(cmd).put("--host", ServerConfig.HOST, host).put("--port", ServerConfig.PORT, port),
        System.getenv());
  }
}

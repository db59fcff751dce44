package dev.gantry.cli;

import dev.gantry.server.ServerSettings;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Where {@code gantry server} and {@code gantry up} listen and keep data. */
final class ServerOptions {
  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:GANTRY_DATA_DIR:-gantry-data}",
      description = "Data directory (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--host", paramLabel = "ADDR", defaultValue = "${env:GANTRY_SERVER_HOST:-127.0.0.1}",
      description = "Address to bind the web server to (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:GANTRY_SERVER_PORT:-8080}",
      description = "HTTP port; 0 for any free port (default: ${DEFAULT-VALUE}).")
  int port;

  /** The settings; an out-of-range port is a usage error (exit 2). */
  ServerSettings settings(CommandLine cmd) {
    if (port < 0 || port > 65535) {
      throw new ParameterException(cmd, "--port: " + port + " is not a TCP port (0..65535)");
    }
    String token = System.getenv("GANTRY_TOKEN");
    return new ServerSettings(host, port, dataDir, java.util.Optional.ofNullable(token));
  }
}

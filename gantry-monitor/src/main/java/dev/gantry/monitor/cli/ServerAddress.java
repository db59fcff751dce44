package dev.gantry.monitor.cli;

import dev.gantry.core.UserError;
import picocli.CommandLine.Option;

/** The Riemann-protocol server a command talks to: {@code --server host:port}. */
final class ServerAddress {
  @Option(names = "--server", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:5555",
      description = "monitor server (default: ${DEFAULT-VALUE})")
  String server;

  String host() {
    return split()[0];
  }

  int port() {
    String p = split()[1];
    try {
      int port = Integer.parseInt(p);
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new UserError("--server: port '" + p + "' is not a number in 1..65535");
    }
  }

  private String[] split() {
    int colon = server.lastIndexOf(':');
    if (colon <= 0 || colon == server.length() - 1) {
      throw new UserError("--server: '" + server + "' is not HOST:PORT");
    }
    return new String[] {server.substring(0, colon), server.substring(colon + 1)};
  }
}

package dev.gantry.ci.cli;

import picocli.CommandLine.Option;

/** Where the CI server is and the admin token, shared by the {@code gantry ci} commands. */
public final class ClientOptions {
  @Option(names = "--server", paramLabel = "URL", description = "the Gantry server (default: $GANTRY_SERVER or http://127.0.0.1:8080)")
  String server;

  @Option(names = "--token", paramLabel = "TOKEN", description = "the admin token (default: $GANTRY_TOKEN)")
  String token;

  @Option(names = "--json", description = "print JSON instead of text")
  boolean json;

  String server() {
    if (server != null) {
      return server;
    }
    String env = System.getenv("GANTRY_SERVER");
    return env != null && !env.isBlank() ? env : "http://127.0.0.1:8080";
  }

  String token() {
    return token != null ? token : System.getenv("GANTRY_TOKEN");
  }
}

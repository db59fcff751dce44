package dev.gantry.bench.ci;

import dev.gantry.ci.server.CiService;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ServerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/** The real Gantry web server on 127.0.0.1 with only the CI mounted. */
final class BenchWeb implements AutoCloseable {
  private final GantryServer server;

  private BenchWeb(GantryServer server) {
    this.server = server;
  }

  static BenchWeb startOn(CiService ci, int port) throws IOException {
    var settings = ServerSettings.defaults(Files.createTempDirectory("gantry-bench-web")).withPort(port)
        .withToken("bench-admin-token-0123456789");
    return new BenchWeb(GantryServer.start(settings, List.of(ci.webComponent())));
  }

  String url() {
    return server.url();
  }

  @Override
  public void close() {
    server.close();
  }
}

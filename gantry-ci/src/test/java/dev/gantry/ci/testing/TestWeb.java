package dev.gantry.ci.testing;

import dev.gantry.core.web.WebComponent;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ServerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The real Gantry web server on 127.0.0.1 with a known admin token, for tests. */
public final class TestWeb implements AutoCloseable {
  public static final String ADMIN_TOKEN = "admin-token-0123456789";

  private final GantryServer server;

  private TestWeb(GantryServer server) {
    this.server = server;
  }

  /** Starts on 127.0.0.1:{@code port} (0: any) with the components mounted; the server keeps its data in {@code dataDir}. */
  public static TestWeb start(Path dataDir, int port, List<WebComponent> components) {
    return start(dataDir, port, components, null);
  }

  /** As {@link #start(Path, int, List)}, serving HTTPS with {@code tls} when it is given. */
  public static TestWeb start(Path dataDir, int port, List<WebComponent> components, ServerSettings.Tls tls) {
    try {
      var settings = ServerSettings.defaults(Files.createDirectories(dataDir)).withPort(port).withToken(ADMIN_TOKEN);
      return new TestWeb(GantryServer.start(tls == null ? settings : settings.withTls(tls), components));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.port();
  }

  public String url() {
    return server.url();
  }

  @Override
  public void close() {
    server.close();
  }
}

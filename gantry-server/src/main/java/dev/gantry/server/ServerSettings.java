package dev.gantry.server;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the server listens and keeps its data.
 *
 * <pre>{@code
 * var settings = ServerSettings.defaults(Path.of("gantry-data")).withPort(0);
 * }</pre>
 *
 * @param host address to bind; loopback unless the operator says otherwise
 * @param port TCP port, 0 for any free port
 * @param dataDir where the store, the admin token and component data live
 * @param token the admin token when configured, else one is generated into the data dir
 * @param sessions how long a browser's sign-in lasts
 */
public record ServerSettings(String host, int port, Path dataDir, Optional<String> token, SessionPolicy sessions) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  public ServerSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(sessions, "sessions");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not in 0..65535");
    }
  }

  public static ServerSettings defaults(Path dataDir) {
    return new ServerSettings(DEFAULT_HOST, DEFAULT_PORT, dataDir, Optional.empty(), SessionPolicy.DEFAULT);
  }

  public ServerSettings withPort(int p) {
    return new ServerSettings(host, p, dataDir, token, sessions);
  }

  public ServerSettings withHost(String h) {
    return new ServerSettings(h, port, dataDir, token, sessions);
  }

  public ServerSettings withToken(String t) {
    return new ServerSettings(host, port, dataDir, Optional.ofNullable(t), sessions);
  }

  public ServerSettings withSessions(SessionPolicy s) {
    return new ServerSettings(host, port, dataDir, token, s);
  }
}

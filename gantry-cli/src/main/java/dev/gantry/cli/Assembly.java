package dev.gantry.cli;

import dev.gantry.core.config.Config;
import dev.gantry.core.config.Settings;
import dev.gantry.core.web.WebComponent;
import dev.gantry.server.ServerConfig;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ServerSettings;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the capabilities together into one running process: starts each service, hands
 * their web parts to the server, and stops everything in reverse order.
 */
final class Assembly implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Assembly.class);

  private final List<AutoCloseable> services;
  private final GantryServer server;

  private Assembly(List<AutoCloseable> services, GantryServer server) {
    this.services = services;
    this.server = server;
  }

  /** Starts the server with the given capabilities; on failure stops what had started. */
  /** Every setting of every capability, so {@code gantry.yml} is checked as a whole. */
  static Settings settings() {
    return ServerConfig.settings();
  }

  static Assembly start(Config config, List<String> lines) {
    ServerSettings settings = ServerConfig.settingsFrom(config);
    List<AutoCloseable> services = new ArrayList<>();
    List<WebComponent> web = new ArrayList<>();
    try {
      GantryServer server = GantryServer.start(settings, web);
      return new Assembly(services, server);
    } catch (RuntimeException e) {
      closeAll(services);
      throw e;
    }
  }

  GantryServer server() {
    return server;
  }

  @Override
  public void close() {
    server.close();
    closeAll(services);
  }

  private static void closeAll(List<AutoCloseable> services) {
    for (int i = services.size() - 1; i >= 0; i--) {
      try {
        services.get(i).close();
      } catch (Exception e) {
        log.warn("stopping {} failed: {}", services.get(i).getClass().getSimpleName(), e.toString());
      }
    }
  }
}

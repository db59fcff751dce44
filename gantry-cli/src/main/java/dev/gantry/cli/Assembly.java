package dev.gantry.cli;

import dev.gantry.ci.agent.LocalAgent;
import dev.gantry.ci.hook.HookInstaller;
import dev.gantry.ci.server.CiConfig;
import dev.gantry.ci.server.CiService;
import dev.gantry.ci.server.CiSettings;
import dev.gantry.core.config.Config;
import dev.gantry.core.config.Secret;
import dev.gantry.core.config.Settings;
import dev.gantry.core.notify.Notifier;
import dev.gantry.core.store.Store;
import dev.gantry.core.web.WebComponent;
import dev.gantry.monitor.DefinitionWatcher;
import dev.gantry.monitor.MonitorConfig;
import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.alert.Receivers;
import dev.gantry.monitor.rules.Monitoring;
import dev.gantry.server.GantryServer;
import dev.gantry.server.GeneratedSecret;
import dev.gantry.server.NotifyConfig;
import dev.gantry.server.ServerConfig;
import dev.gantry.server.ServerSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the capabilities together into one running process: starts each service, hands
 * their web parts to the server, and stops everything in reverse order.
 */
final class Assembly implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Assembly.class);

  /** {@code up} fills in what a newcomer has not configured; {@code server} runs what is configured. */
  enum Mode { UP, SERVER }

  private final List<AutoCloseable> services;
  private final GantryServer server;
  private final List<AutoCloseable> clients;

  /**
   * @param services started before the server, stopped after it
   * @param clients started after the server and talking to it (the local agent), stopped first
   */
  private Assembly(List<AutoCloseable> services, GantryServer server, List<AutoCloseable> clients) {
    this.services = services;
    this.server = server;
    this.clients = clients;
  }

  /** Every setting of every capability, so {@code gantry.yml} is checked as a whole. */
  static Settings settings() {
    return ServerConfig.settings().plus(NotifyConfig.settings()).plus(CiConfig.settings()).plus(MonitorConfig.SETTINGS);
  }

  /** Starts the server with its capabilities; on failure stops what had started. */
  static Assembly start(Config config, Mode mode, List<String> lines) {
    ServerSettings settings = ServerConfig.settingsFrom(config);
    if (settings.port() == 0) {
      settings = settings.withPort(freePort(settings.host()));
    }
    String url = "http://" + settings.host() + ":" + settings.port();
    Path data = settings.dataDir().toAbsolutePath().normalize();
    List<AutoCloseable> services = new ArrayList<>();
    List<WebComponent> web = new ArrayList<>();
    try {
      Store store = Store.open(data.resolve("gantry.db"));
      services.add(store);
      List<Notifier> notifiers = NotifyConfig.notifiers(config);
      services.addAll(notifiers);

      Optional<CiSettings> ci = ciSettings(config, mode, data, url);
      CiService ciService = null;
      if (ci.isPresent()) {
        ciService = CiService.start(ci.get(), data, store, notifiers);
        services.add(ciService);
        web.add(ciService.webComponent());
      } else {
        lines.add("CI: off (set ci.repository to the central repository to guard)");
      }

      MonitorService monitor = MonitorService.start(MonitorConfig.settings(config), data.resolve("monitor"));
      services.add(monitor);
      web.add(monitor.webComponent());
      services.add(applyMonitoring(config, data, monitor, notifiers, lines));
      lines.add("Monitor: Riemann TCP " + listening(monitor.tcpPort()) + ", UDP " + listening(monitor.udpPort())
          + (monitor.tlsPort() > 0 ? ", TLS " + monitor.tlsPort() : "") + ", dashboard " + url + "/monitor");

      GantryServer server = GantryServer.start(settings, web);
      List<AutoCloseable> clients = new ArrayList<>();
      if (ciService != null) {
        describeCi(ci.get(), mode, data, lines);
        if (mode == Mode.UP) {
          clients.add(LocalAgent.start(URI.create(url), ci.get().agentToken(), data.resolve("agent")));
          lines.add("CI agent: 'local' (linux, 2 slots), work in " + data.resolve("agent"));
        }
      }
      return new Assembly(services, server, clients);
    } catch (RuntimeException e) {
      closeAll(services);
      throw e;
    }
  }

  /**
   * The CI's settings: from the configuration, with secrets generated into the data
   * directory when unset, and for {@code up} an example repository when none is named.
   */
  private static Optional<CiSettings> ciSettings(Config config, Mode mode, Path data, String url) {
    Optional<String> configured = config.find(CiConfig.REPOSITORY);
    if (configured.isEmpty() && mode == Mode.SERVER) {
      return Optional.empty();
    }
    String repository = configured.orElseGet(() -> ExampleRepository.ensure(data.resolve("repos/example.git")).toString());
    String hook = config.find(CiConfig.HOOK_SECRET).map(Secret::reveal)
        .orElseGet(() -> GeneratedSecret.loadOrCreate(data.resolve("ci/hook-secret"), "the CI hook secret").value());
    String agent = config.find(CiConfig.AGENT_TOKEN).map(Secret::reveal)
        .orElseGet(() -> GeneratedSecret.loadOrCreate(data.resolve("ci/agent-token"), "the CI agent token").value());
    CiSettings s = new CiSettings(repository, config.find(CiConfig.PUBLIC_URL).orElse(url), hook, agent,
        config.get(CiConfig.MAX_BATCH), config.get(CiConfig.AGENT_TIMEOUT), config.get(CiConfig.LONG_POLL),
        config.get(CiConfig.POLL_INTERVAL), config.get(CiConfig.LOG_CAP_KIB) * 1024L, config.get(CiConfig.KEEP_LOGS));
    if (configured.isEmpty()) {
      // the example repository is ours: keep its hook pointing at this server
      new HookInstaller().install(Path.of(repository), URI.create(url), hook, true);
    }
    return Optional.of(s);
  }

  /**
   * The monitoring of the infrastructure definition when there is one (watched, and applied
   * again when it changes), else the built-in rules sending to the configured notifiers.
   */
  private static AutoCloseable applyMonitoring(Config config, Path data, MonitorService monitor,
      List<Notifier> notifiers, List<String> lines) {
    Path infra = config.get(ServerConfig.INFRA);
    if (Files.exists(infra)) {
      DefinitionWatcher watcher = DefinitionWatcher.start(infra, data.resolve("definitions"), monitor::apply,
          Duration.ofSeconds(2), problem -> log.warn("the infrastructure definition was not applied: {}", problem));
      lines.add("Monitoring rules: from " + infra + " (re-applied on change)");
      return watcher;
    }
    Monitoring receivers = Monitoring.rules();
    notifiers.forEach(n -> receivers.sendTo(Receivers.of(n)));
    monitor.apply(List.of(receivers), List.of());
    lines.add("Monitoring rules: built-in (disk full, host down, HTTP errors and latency)"
        + (notifiers.isEmpty() ? "; alerts show in the dashboard (set notify.slack-webhook to send them)" : ""));
    return () -> { };
  }

  private static String listening(int port) {
    return port < 0 ? "off" : Integer.toString(port);
  }

  private static void describeCi(CiSettings ci, Mode mode, Path data, List<String> lines) {
    lines.add("CI: guarding " + ci.repository() + " (" + ci.publicUrl() + "/ci)");
    if (mode == Mode.UP && ci.repository().startsWith(data.toString())) {
      lines.add("  try it: git clone " + ci.repository() + " example && cd example && "
          + "echo change >> README.md && git commit -am change && git push origin HEAD:review");
    }
  }

  private static int freePort(String host) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(host, 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new dev.gantry.core.UserError("cannot find a free port on " + host + ": " + e.getMessage(), e);
    }
  }

  GantryServer server() {
    return server;
  }

  @Override
  public void close() {
    closeAll(clients);
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

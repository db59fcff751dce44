package dev.gantry.cli;

import dev.gantry.ci.agent.LocalAgent;
import dev.gantry.ci.hook.HookInstaller;
import dev.gantry.ci.server.CiConfig;
import dev.gantry.ci.server.CiService;
import dev.gantry.ci.server.CiSettings;
import dev.gantry.core.config.Config;
import dev.gantry.core.config.Secret;
import dev.gantry.core.config.Settings;
import dev.gantry.core.infra.InfraDefinition;
import dev.gantry.core.notify.Notifier;
import dev.gantry.core.store.Store;
import dev.gantry.core.web.WebComponent;
import dev.gantry.monitor.DefinitionWatcher;
import dev.gantry.monitor.MonitorConfig;
import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.alert.Receivers;
import dev.gantry.monitor.probe.HttpProbe;
import dev.gantry.monitor.rules.Monitoring;
import dev.gantry.server.GantryServer;
import dev.gantry.server.GeneratedSecret;
import dev.gantry.server.NotifyConfig;
import dev.gantry.server.ProcessMetrics;
import dev.gantry.server.ServerConfig;
import dev.gantry.server.ServerSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the capabilities together into one running process: one meter registry for all of
 * them, each service started, their web parts handed to the server, and everything stopped in
 * reverse order. {@code gantry up}, {@code gantry server} and {@code gantry monitor} are this
 * assembly in different {@link Mode}s.
 *
 * <pre>{@code
 * try (Assembly running = Assembly.start(config, Assembly.Mode.SERVER, lines)) {
 *   running.server().ifPresent(s -> System.out.println(s.url()));
 * }
 * }</pre>
 */
final class Assembly implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Assembly.class);

  /** Whether the CI runs, and what stands in for a repository nobody configured. */
  enum Ci {
    /** Guards {@code ci.repository}, or an example repository made in the data directory. */
    EXAMPLE_WHEN_UNSET,
    /** Guards {@code ci.repository}; off (and said so) when it is not set. */
    WHEN_CONFIGURED,
    /** Not part of this process. */
    OFF
  }

  /**
   * What the process runs. The monitor runs in every mode.
   *
   * @param ci whether the CI runs
   * @param localAgent a CI agent in this process, working in the data directory
   * @param web the web server (UI, HTTP API, {@code /metrics}); without it only the monitor's
   *     listeners serve
   * @param showNewToken print a newly made admin token (a newcomer's terminal), rather than only
   *     the file it is kept in (a service's log)
   */
  record Mode(Ci ci, boolean localAgent, boolean web, boolean showNewToken) {
    Mode {
      // the CI's hook and agents reach it over HTTP, and the local agent needs a CI to work for
      if (ci != Ci.OFF && !web || localAgent && ci == Ci.OFF) {
        throw new IllegalArgumentException("the CI needs the web server, and a local agent the CI: " + ci + ", " + web);
      }
    }

    /** {@code gantry up}: everything on this machine, with what a newcomer has not configured filled in. */
    static final Mode UP = new Mode(Ci.EXAMPLE_WHEN_UNSET, true, true, true);
    /** {@code gantry server}: what is configured. */
    static final Mode SERVER = new Mode(Ci.WHEN_CONFIGURED, false, true, true);

    /** {@code gantry monitor}: the monitor alone, as on a dedicated monitoring machine, with or without its dashboard. */
    static Mode monitorAlone(boolean web) {
      return new Mode(Ci.OFF, false, web, false);
    }
  }

  private final List<AutoCloseable> services;
  private final GantryServer server;
  private final List<AutoCloseable> clients;

  /**
   * @param services started before the server, stopped after it
   * @param server null when the mode has no web server
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

  /**
   * Starts what {@code mode} runs, adding to {@code lines} what runs where; on failure stops
   * what had started.
   */
  static Assembly start(Config config, Mode mode, List<String> lines) {
    ServerSettings settings = ServerConfig.settingsFrom(config);
    MonitorSettings monitorSettings = MonitorConfig.settings(config);
    if (mode.web() && settings.port() == 0) {
      settings = settings.withPort(freePort(settings.host()));
    }
    String url = "http://" + settings.host() + ":" + settings.port();
    Path data = settings.dataDir().toAbsolutePath().normalize();
    List<AutoCloseable> services = new ArrayList<>();
    List<WebComponent> web = new ArrayList<>();
    try {
      // first in, last out: every component counts into it until it stops
      ProcessMetrics metrics = ProcessMetrics.start();
      services.add(metrics);
      List<Notifier> notifiers = NotifyConfig.notifiers(config);
      services.addAll(notifiers);

      Optional<CiSettings> ci = ciSettings(config, mode, data, url);
      CiService ciService = null;
      if (ci.isPresent()) {
        Store store = Store.open(data.resolve("gantry.db"));
        services.add(store);
        ciService = CiService.start(ci.get(), data, store, notifiers);
        services.add(ciService);
        web.add(ciService.webComponent());
      } else if (mode.ci() == Ci.WHEN_CONFIGURED) {
        lines.add("CI: off (set ci.repository to the central repository to guard)");
      }

      MonitorService monitor = MonitorService.start(monitorSettings, data.resolve("monitor"), metrics.registry(),
          Clock.systemUTC());
      services.add(monitor);
      web.add(monitor.webComponent());
      services.add(applyMonitoring(config, data, monitor, notifiers, lines));
      lines.add("Monitor: Riemann TCP " + listening(monitor.tcpPort()) + ", UDP " + listening(monitor.udpPort())
          + (monitor.tlsPort() > 0 ? ", TLS " + monitor.tlsPort() : "")
          + (mode.web() ? ", dashboard " + url + "/monitor" : ", no dashboard"));

      GantryServer server = mode.web() ? GantryServer.start(settings, web, metrics) : null;
      List<AutoCloseable> clients = new ArrayList<>();
      if (ciService != null) {
        describeCi(ci.get(), mode, data, lines);
        if (mode.localAgent()) {
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
    if (mode.ci() == Ci.OFF || configured.isEmpty() && mode.ci() == Ci.WHEN_CONFIGURED) {
      return Optional.empty();
    }
    String repository = configured.orElseGet(() -> ExampleRepository.ensure(data.resolve("repos/example.git")).toString());
    String hook = config.find(CiConfig.HOOK_SECRET).map(Secret::reveal)
        .orElseGet(() -> GeneratedSecret.loadOrCreate(data.resolve("ci/hook-secret"), "the CI hook secret").value());
    String agent = config.find(CiConfig.AGENT_TOKEN).map(Secret::reveal)
        .orElseGet(() -> GeneratedSecret.loadOrCreate(data.resolve("ci/agent-token"), "the CI agent token").value());
    CiSettings s = new CiSettings(repository, config.find(CiConfig.PUBLIC_URL).orElse(url), hook, agent,
        config.get(CiConfig.MAX_BATCH), config.get(CiConfig.AGENT_TIMEOUT), config.get(CiConfig.LONG_POLL),
        config.get(CiConfig.POLL_INTERVAL), config.get(CiConfig.LOG_CAP_KIB) * 1024L, config.get(CiConfig.KEEP_LOGS),
        config.get(CiConfig.UNSCHEDULABLE_TIMEOUT)).withMaxWindow(config.get(CiConfig.MAX_WINDOW));
    if (configured.isEmpty()) {
      // the example repository is ours: keep its hook pointing at this server
      new HookInstaller().install(Path.of(repository), URI.create(url), hook, true);
    }
    return Optional.of(s);
  }

  /**
   * The monitoring of the infrastructure definition when there is one (watched, and applied
   * again when it changes), else the built-in rules; the configured notifiers ({@code notify.*})
   * receive every alert either way. A definition named by a flag, the environment or the file
   * must exist; only the default ({@code ./infra}) may be absent.
   */
  private static AutoCloseable applyMonitoring(Config config, Path data, MonitorService monitor,
      List<Notifier> notifiers, List<String> lines) {
    Path infra = config.get(ServerConfig.INFRA);
    if (Files.exists(infra) || config.sourceOf(ServerConfig.INFRA) != Config.Source.DEFAULT) {
      DefinitionWatcher watcher = DefinitionWatcher.start(infra, InfraDefinition.defaultCache(),
          loaded -> monitor.apply(alsoNotifying(loaded.declarations(Monitoring.class), notifiers),
              loaded.declarations(HttpProbe.class)),
          Duration.ofSeconds(2), problem -> log.warn("the infrastructure definition was not applied: {}", problem));
      lines.add("Monitoring rules: from " + infra + " (re-applied on change)");
      return watcher;
    }
    monitor.apply(alsoNotifying(List.of(), notifiers), List.of());
    lines.add("Monitoring rules: built-in (disk full, host down, HTTP errors and latency)"
        + (notifiers.isEmpty() ? "; alerts show in the dashboard (set notify.slack-webhook to send them)" : ""));
    return () -> { };
  }

  /**
   * The declared monitoring with the configured notifiers added to each declaration's
   * receivers, and, when no declaration is of receivers alone (what the built-in rules send
   * to), one such declaration with the notifiers. The declarations come from a fresh load of
   * the definition each time.
   */
  static List<Monitoring> alsoNotifying(List<Monitoring> declared, List<Notifier> notifiers) {
    List<Monitoring> out = new ArrayList<>(declared);
    if (!notifiers.isEmpty() && out.stream().noneMatch(m -> m.ruleList().isEmpty())) {
      out.add(Monitoring.rules());
    }
    for (Monitoring m : out) {
      notifiers.forEach(n -> m.sendTo(Receivers.of(n)));
    }
    return out;
  }

  private static String listening(int port) {
    return port < 0 ? "off" : Integer.toString(port);
  }

  private static void describeCi(CiSettings ci, Mode mode, Path data, List<String> lines) {
    lines.add("CI: guarding " + ci.repository() + " (" + ci.publicUrl() + "/ci)");
    if (mode.ci() == Ci.EXAMPLE_WHEN_UNSET && ci.repository().startsWith(data.toString())) {
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

  /** The web server, empty in a mode without one. */
  Optional<GantryServer> server() {
    return Optional.ofNullable(server);
  }

  @Override
  public void close() {
    closeAll(clients);
    if (server != null) {
      server.close();
    }
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

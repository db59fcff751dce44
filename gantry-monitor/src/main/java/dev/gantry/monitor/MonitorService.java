package dev.gantry.monitor;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.core.web.WebComponent;
import dev.gantry.monitor.alert.AlertBook;
import dev.gantry.monitor.alert.AlertStore;
import dev.gantry.monitor.client.BatchingClient;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.TcpClient;
import dev.gantry.monitor.engine.Engine;
import dev.gantry.monitor.engine.EngineCore;
import dev.gantry.monitor.engine.SendingOutbox;
import dev.gantry.monitor.history.HostRates;
import dev.gantry.monitor.history.SeriesHistory;
import dev.gantry.monitor.index.Index;
import dev.gantry.monitor.index.IndexSnapshots;
import dev.gantry.monitor.probe.HttpProbe;
import dev.gantry.monitor.probe.ProbeRunner;
import dev.gantry.monitor.rules.BuiltinRules;
import dev.gantry.monitor.rules.Monitoring;
import dev.gantry.monitor.rules.Rule;
import dev.gantry.monitor.rules.RuleSet;
import dev.gantry.monitor.observe.MonitorMeters;
import dev.gantry.monitor.observe.Readings;
import dev.gantry.monitor.observe.SelfEvents;
import dev.gantry.monitor.transport.Listeners;
import dev.gantry.monitor.web.MonitorWeb;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running monitor: Riemann listeners (TCP, UDP, TLS), the engine with the index, the
 * rules and the alert book, HTTP probes, and the web component (dashboard, HTTP API,
 * WebSocket and SSE). The index is restored from {@code dataDir/index.snapshot} and the
 * alerts from {@code dataDir/alerts.json}, and both are written back on close.
 *
 * <pre>{@code
 * try (MonitorService monitor = MonitorService.start(MonitorSettings.defaults(), dataDir)) {
 *   monitor.apply(Infrastructure.of(new Infra()));   // rules, receivers, probes
 *   server.register(monitor.webComponent());
 * }
 * }</pre>
 */
public final class MonitorService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MonitorService.class);
  /** How often the monitor reports its own figures as events, as Riemann does by default. */
  static final java.time.Duration SELF_REPORT = java.time.Duration.ofSeconds(10);
  /**
   * How often the history drops points older than its window: a walk over every series, so
   * not on every tick (reads leave old points out anyway; the number of points per series is
   * bounded on its own).
   */
  static final java.time.Duration HISTORY_PRUNE = java.time.Duration.ofSeconds(30);

  private final MonitorSettings settings;
  private final Path dataDir;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final Index index;
  private final AlertBook book = new AlertBook();
  private final AlertStore alertStore;
  private final Engine engine;
  private final Listeners listeners;
  private final ProbeRunner probes;
  private final MonitorWeb web;
  private final SeriesHistory history;
  private final HostRates rates;
  // snapshots and self-reports: work that reads what the engine writes, kept off its thread
  private final ScheduledExecutorService background;
  private final Map<String, BatchingClient> forwards = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private long lastPruneNanos = System.nanoTime();
  private final MonitorMeters meters;
  private final String selfHost;
  private Readings lastReadings;

  private MonitorService(MonitorSettings settings, Path dataDir, MeterRegistry metrics, Clock clock) throws IOException {
    this.settings = settings;
    this.dataDir = dataDir;
    this.clock = clock;
    this.metrics = metrics;
    Files.createDirectories(dataDir);
    this.index = new Index(settings.defaultTtl().toMillis() / 1000.0);
    this.alertStore = new AlertStore(dataDir.resolve("alerts.json"));
    book.restore(alertStore.load());
    List<Event> restored = IndexSnapshots.load(snapshotFile());
    index.restore(restored);
    this.history = new SeriesHistory(settings.history(), clock);
    this.rates = new HostRates(settings.history().maxSeries(), clock);
    index.addListener(history);
    index.addListener(rates);
    log.info("monitor: restored {} indexed events and {} alerts from {}", restored.size(), book.alerts().size(), dataDir);
    this.meters = new MonitorMeters(metrics, System::nanoTime);
    this.selfHost = localHostName();
    SendingOutbox outbox = new SendingOutbox(r -> meters.notificationSent(), r -> {
      count("notification-failures");
      meters.notificationFailed();
    });
    EngineCore core = new EngineCore(clock, index, book, outbox,
        new EngineCore.Hooks() {
          public void count(String what) {
            MonitorService.this.count(what);
          }

          public void forward(String host, int port, Event e) {
            MonitorService.this.forward(host, port, e);
          }

          public void alertsChanged(AlertBook.State state) {
            saveAlerts(state);
          }
        }, true);
    core.reload(effectiveRules(List.of()));
    this.background = Executors.newSingleThreadScheduledExecutor(
        r -> Thread.ofPlatform().daemon().name("gantry-monitor-background").unstarted(r));
    this.engine = new Engine(core, settings.maxQueuedEvents(), settings.tick(), () -> {
      pruneOrPublishHistory();
      Instant now = clock.instant();
      meters.alerts(core.book().alerts(), a -> core.book().silenced(a, now));
    }, meters::batchDone);
    meters.gauges(engine::queuedEvents, index::size);
    meters.history(history::usage);
    this.lastReadings = meters.readings();
    engine.start();
    long snapshotMillis = settings.snapshotInterval().toMillis();
    background.scheduleWithFixedDelay(this::snapshot, snapshotMillis, snapshotMillis, TimeUnit.MILLISECONDS);
    background.scheduleAtFixedRate(this::reportSelf, SELF_REPORT.toMillis(), SELF_REPORT.toMillis(), TimeUnit.MILLISECONDS);
    this.web = new MonitorWeb(engine, clock, history, rates);
    Listeners started;
    try {
      started = Listeners.start(engine, clock, meters, settings.bind(), settings.tcpPort(),
          settings.udpPort(), settings.tlsPort(), settings.tls(), settings.maxFrameBytes());
    } catch (RuntimeException e) {
      engine.close();
      background.shutdownNow();
      throw e;
    }
    this.listeners = started;
    this.probes = new ProbeRunner(events -> {
      if (!engine.submitEvents(events, null)) {
        count("probe-events-dropped");
      }
    }, clock);
    log.info("monitor: listening on {} tcp {} udp {} tls {}", settings.bind(), listeners.tcpPort(), listeners.udpPort(),
        listeners.tlsPort());
  }

  /**
   * Starts the monitor with the built-in rules (if enabled) and a metrics registry of its own,
   * which nothing serves (tests, benchmarks); a process passes its one registry to
   * {@link #start(MonitorSettings, Path, MeterRegistry, Clock)}.
   */
  public static MonitorService start(MonitorSettings settings, Path dataDir) {
    return start(settings, dataDir, new SimpleMeterRegistry(), Clock.systemUTC());
  }

  /** Starts the monitor, counting into {@code metrics} (the process's registry, served at {@code /metrics}). */
  public static MonitorService start(MonitorSettings settings, Path dataDir, MeterRegistry metrics, Clock clock) {
    try {
      return new MonitorService(settings, dataDir, metrics, clock);
    } catch (IOException e) {
      throw new UserError("monitor: cannot use data directory " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Applies what the infrastructure declares: {@link Monitoring} rules with their
   * receivers, and {@link HttpProbe}s. Called again when the definition changes: rules
   * keep the state of those whose name stays, the index and alerts are untouched.
   */
  public void apply(Infrastructure infra) {
    apply(infra.declarations(Monitoring.class), infra.declarations(HttpProbe.class));
  }

  /** {@link #apply(Infrastructure)} with the declarations given directly. */
  public void apply(List<Monitoring> monitoring, List<HttpProbe> httpProbes) {
    RuleSet rules = effectiveRules(monitoring);
    engine.call(core -> {
      core.reload(rules);
      return null;
    }).join();
    probes.replace(httpProbes);
  }

  /**
   * The declared rules plus, when enabled, the built-in rules not declared under the same
   * name. A declaration with receivers but no rules gives the built-in rules' receivers.
   */
  RuleSet effectiveRules(List<Monitoring> monitoring) {
    RuleSet declared = RuleSet.of(monitoring);
    if (!settings.builtinRules()) {
      return declared;
    }
    Set<String> names = new HashSet<>();
    declared.rules().forEach(r -> names.add(r.name()));
    Monitoring defaults = BuiltinRules.defaults();
    var policy = monitoring.stream().filter(m -> m.ruleList().isEmpty()).findFirst().map(Monitoring::policy)
        .orElse(defaults.policy());
    List<Rule> rules = new ArrayList<>(declared.rules());
    Map<String, dev.gantry.monitor.alert.AlertPolicy> policies = new LinkedHashMap<>(declared.policies());
    for (Rule r : defaults.ruleList()) {
      if (names.add(r.name())) {
        rules.add(r);
        policies.put(r.name(), policy);
      }
    }
    return new RuleSet(rules, policies);
  }

  /** The dashboard, HTTP API, WebSocket and SSE for the web server. */
  public WebComponent webComponent() {
    return web;
  }

  public int tcpPort() {
    return listeners.tcpPort();
  }

  public int udpPort() {
    return listeners.udpPort();
  }

  public int tlsPort() {
    return listeners.tlsPort();
  }

  /** The engine, for in-process callers (tests, benchmarks). */
  public Engine engine() {
    return engine;
  }

  public Path dataDir() {
    return dataDir;
  }

  private Path snapshotFile() {
    return dataDir.resolve("index.snapshot");
  }

  /** Writes the index to its snapshot file, reading it while events keep arriving. */
  private void snapshot() {
    try {
      IndexSnapshots.save(snapshotFile(), index.events());
    } catch (IOException e) {
      count("snapshot-failures");
      log.warn("monitor: cannot write the index snapshot {}: {}", snapshotFile(), e.getMessage());
    } catch (RuntimeException e) {
      // a scheduled task that throws is never run again
      count("snapshot-failures");
      log.error("monitor: index snapshot failed: {}", e.toString(), e);
    }
  }

  private void pruneOrPublishHistory() {
    if (System.nanoTime() - lastPruneNanos >= HISTORY_PRUNE.toNanos()) {
      lastPruneNanos = System.nanoTime();
      history.prune();
    } else {
      history.publishUsage();
    }
  }

  private void saveAlerts(AlertBook.State state) {
    try {
      alertStore.save(state);
    } catch (IOException e) {
      count("alert-store-failures");
      log.warn("monitor: cannot save alert states to {}: {}", alertStore.file(), e.getMessage());
    }
  }

  private void forward(String host, int port, Event e) {
    BatchingClient c = forwards.computeIfAbsent(host + ":" + port,
        k -> BatchingClient.start(TcpClient.connect(host, port), 100_000, 100));
    if (!c.offer(e)) {
      count("forward-dropped");
    }
  }

  private void count(String what) {
    counters.computeIfAbsent(what, w -> Counter.builder("gantry.monitor.engine").tag("what", w).register(metrics)).increment();
  }

  /**
   * Every {@link #SELF_REPORT}, the monitor's own figures as events into the index and
   * through the rules; read off the engine's thread, which only takes the events.
   */
  private void reportSelf() {
    try {
      Readings readings = meters.readings();
      List<Event> events = SelfEvents.between(lastReadings, readings, selfHost, EngineCore.micros(clock.instant()),
          3 * SELF_REPORT.toSeconds());
      lastReadings = readings;
      if (!engine.submitEvents(events, null)) {
        count("self-events-dropped");
      }
    } catch (RuntimeException e) {
      log.error("monitor: self-report failed: {}", e.toString(), e);
    }
  }

  private static String localHostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "gantry";
    }
  }

  /** Stops listening, lets the engine finish what is queued, and saves index and alerts. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    probes.close();
    listeners.close();
    engine.close();
    web.closeSubscriptions();
    background.shutdown();
    try {
      background.awaitTermination(30, TimeUnit.SECONDS);
      int n = IndexSnapshots.save(snapshotFile(), index.events());
      saveAlerts(book.state());
      log.info("monitor: saved {} indexed events to {} at {}", n, snapshotFile(), Instant.now(clock));
    } catch (IOException e) {
      log.error("monitor: cannot save the index to {}: {}", snapshotFile(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    forwards.values().forEach(BatchingClient::close);
  }
}

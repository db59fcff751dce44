package dev.gantry.monitor;

import dev.gantry.core.UserError;
import dev.gantry.core.config.Config;
import dev.gantry.core.config.Setting;
import dev.gantry.core.config.Settings;
import dev.gantry.core.tls.BindAddress;
import dev.gantry.monitor.history.HistoryLimits;
import dev.gantry.monitor.transport.TlsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The monitor's settings for {@code gantry.yml}, the environment ({@code GANTRY_MONITOR_TCP_PORT})
 * and flags, and their translation into {@link MonitorSettings}.
 *
 * <pre>{@code
 * Config config = Config.builder(MonitorConfig.SETTINGS.plus(otherSettings)).environment(System.getenv()).build();
 * MonitorService monitor = MonitorService.start(MonitorConfig.settings(config), dataDir);
 * }</pre>
 */
public final class MonitorConfig {
  private MonitorConfig() {}

  public static final Setting<String> BIND = Setting.string("monitor.bind", "127.0.0.1", "address the monitor listens on");
  public static final Setting<Integer> TCP_PORT = Setting.integer("monitor.tcp-port", 5555, "Riemann TCP port, -1 to disable")
      .check(p -> p >= -1 && p <= 65535, "a port in 0..65535 or -1");
  public static final Setting<Integer> UDP_PORT = Setting.integer("monitor.udp-port", 5555, "Riemann UDP port, -1 to disable")
      .check(p -> p >= -1 && p <= 65535, "a port in 0..65535 or -1");
  public static final Setting<Integer> TLS_PORT = Setting.integer("monitor.tls-port", -1, "Riemann TLS port, -1 to disable")
      .check(p -> p >= -1 && p <= 65535, "a port in 0..65535 or -1");
  public static final Setting<Path> TLS_CERT = Setting.path("monitor.tls-cert", null, "PEM certificate chain for TLS");
  public static final Setting<Path> TLS_KEY = Setting.path("monitor.tls-key", null, "PEM PKCS#8 key for TLS");
  public static final Setting<Path> TLS_CLIENT_CA = Setting.path("monitor.tls-client-ca", null,
      "CA whose client certificates TLS clients must present");
  public static final Setting<Boolean> INSECURE_TCP = Setting.bool("monitor.insecure-tcp", false,
      "accept plain Riemann TCP on a monitor.bind address other machines reach (refused otherwise)");
  public static final Setting<Integer> MAX_FRAME_BYTES = Setting.integer("monitor.max-frame-bytes", 16 << 20,
      "largest TCP message accepted").check(n -> n >= 1024, "at least 1024");
  public static final Setting<Duration> DEFAULT_TTL = Setting.duration("monitor.default-ttl", Duration.ofSeconds(60),
      "life of events sent without a TTL");
  public static final Setting<Duration> SNAPSHOT_INTERVAL = Setting.duration("monitor.snapshot-interval",
      Duration.ofSeconds(30), "how often the index is written to disk");
  public static final Setting<Integer> MAX_QUEUED_EVENTS = Setting.integer("monitor.max-queued-events", 500_000,
      "events waiting for the rules before new batches are refused").check(n -> n >= 1000, "at least 1000");
  public static final Setting<Boolean> BUILTIN_RULES = Setting.bool("monitor.builtin-rules", true,
      "run disk-full, host-down, http and probe rules unless the definition declares them");

  public static final Setting<Duration> HISTORY_WINDOW = Setting.duration("monitor.history-window", Duration.ofHours(1),
      "how far back the dashboard's charts reach").check(d -> d.toSeconds() >= 1, "at least 1s");
  public static final Setting<Integer> HISTORY_POINTS = Setting.integer("monitor.history-points", 720,
      "most points kept per (host, service); the oldest go first").check(n -> n >= 2, "at least 2");
  public static final Setting<Integer> HISTORY_SERIES = Setting.integer("monitor.history-series", 4_000,
      "most (host, service) series kept; the one updated longest ago goes first").check(n -> n >= 1, "at least 1");

  /** Every monitor setting. */
  public static final Settings SETTINGS = Settings.of(BIND, TCP_PORT, UDP_PORT, TLS_PORT, TLS_CERT, TLS_KEY, TLS_CLIENT_CA,
      INSECURE_TCP,
      MAX_FRAME_BYTES, DEFAULT_TTL, SNAPSHOT_INTERVAL, MAX_QUEUED_EVENTS, BUILTIN_RULES, HISTORY_WINDOW, HISTORY_POINTS,
      HISTORY_SERIES);

  /**
   * The monitor settings a resolved configuration gives. TLS takes {@code monitor.tls-port},
   * {@code monitor.tls-cert} and {@code monitor.tls-key} together (and optionally
   * {@code monitor.tls-client-ca}); some of them without the others is a {@link UserError}.
   */
  public static MonitorSettings settings(Config config) {
    requireSafeTcp(config);
    MonitorSettings s = MonitorSettings.defaults()
        .withBind(config.get(BIND))
        .withTcpPort(config.get(TCP_PORT))
        .withUdpPort(config.get(UDP_PORT))
        .withMaxFrameBytes(config.get(MAX_FRAME_BYTES))
        .withDefaultTtl(config.get(DEFAULT_TTL))
        .withSnapshotInterval(config.get(SNAPSHOT_INTERVAL))
        .withMaxQueuedEvents(config.get(MAX_QUEUED_EVENTS))
        .withBuiltinRules(config.get(BUILTIN_RULES))
        .withHistory(new HistoryLimits(config.get(HISTORY_WINDOW), config.get(HISTORY_POINTS), config.get(HISTORY_SERIES)));
    return tls(config).map(t -> s.withTls(config.get(TLS_PORT), t)).orElse(s);
  }

  /**
   * Plain TCP on an address other machines reach only when the operator says so: anyone on the
   * path could read and forge events (and alerts with them). UDP stays as Riemann has it,
   * unauthenticated, documented.
   */
  private static void requireSafeTcp(Config config) {
    String bind = config.get(BIND);
    if (config.get(TCP_PORT) >= 0 && !config.get(INSECURE_TCP) && !BindAddress.loopbackOnly(bind)) {
      throw new UserError(BIND.key() + " " + bind + " can be reached from other machines, and plain Riemann TCP "
          + "there lets anyone on the path read and forge events: serve TLS (" + TLS_PORT.key() + ", " + TLS_CERT.key()
          + ", " + TLS_KEY.key() + ", and " + TLS_CLIENT_CA.key() + " for client certificates, e.g. from gantry ca) "
          + "and set " + TCP_PORT.key() + ": -1, or, on a private network you trust, " + INSECURE_TCP.key() + ": true");
    }
  }

  /** The TLS listener's certificates when TLS is configured, all of it or none. */
  private static Optional<TlsConfig> tls(Config config) {
    Optional<Path> cert = config.find(TLS_CERT);
    Optional<Path> key = config.find(TLS_KEY);
    Optional<Path> clientCa = config.find(TLS_CLIENT_CA);
    boolean port = config.get(TLS_PORT) >= 0;
    if (!port && cert.isEmpty() && key.isEmpty() && clientCa.isEmpty()) {
      return Optional.empty();
    }
    List<String> missing = new ArrayList<>();
    if (!port) {
      missing.add(TLS_PORT.key());
    }
    if (cert.isEmpty()) {
      missing.add(TLS_CERT.key());
    }
    if (key.isEmpty()) {
      missing.add(TLS_KEY.key());
    }
    if (!missing.isEmpty()) {
      throw new UserError("TLS needs " + TLS_PORT.key() + ", " + TLS_CERT.key() + " and " + TLS_KEY.key()
          + " together: " + String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are") + " not set");
    }
    return Optional.of(new TlsConfig(cert.get(), key.get(), clientCa.orElse(null)));
  }
}

package dev.gantry.monitor;

import dev.gantry.core.UserError;
import dev.gantry.monitor.history.HistoryLimits;
import dev.gantry.monitor.transport.TlsConfig;
import java.time.Duration;

/**
 * How the monitor listens and keeps its data. Ports: 0 picks a free port (tests), -1
 * disables the listener. Defaults: TCP and UDP 5555 on 127.0.0.1, no TLS, 16 MiB frames,
 * 60 s default TTL, a tick (expiry, windows, alerts) every second, an index snapshot every
 * 30 s, at most 500,000 queued events, the built-in rules on, the history's default limits.
 *
 * <pre>{@code
 * MonitorSettings s = MonitorSettings.defaults().withTcpPort(0).withUdpPort(0);
 * }</pre>
 */
public record MonitorSettings(
    String bind,
    int tcpPort,
    int udpPort,
    int tlsPort,
    TlsConfig tls,
    int maxFrameBytes,
    Duration defaultTtl,
    Duration tick,
    Duration snapshotInterval,
    long maxQueuedEvents,
    boolean builtinRules,
    HistoryLimits history) {

  public MonitorSettings {
    checkPort("tcp port", tcpPort);
    checkPort("udp port", udpPort);
    checkPort("tls port", tlsPort);
    if (bind == null || bind.isBlank()) {
      throw new UserError("monitor.bind: must name an address such as 127.0.0.1");
    }
    if (maxFrameBytes < 1024) {
      throw new UserError("monitor.max-frame-bytes: " + maxFrameBytes + " is below the minimum of 1024");
    }
    if (defaultTtl.isNegative() || defaultTtl.isZero()) {
      throw new UserError("monitor.default-ttl: must be positive, got " + defaultTtl);
    }
    if (tick.toMillis() < 10) {
      throw new UserError("monitor.tick: must be at least 10 ms, got " + tick);
    }
    if (snapshotInterval.isNegative() || snapshotInterval.isZero()) {
      throw new UserError("monitor.snapshot-interval: must be positive, got " + snapshotInterval);
    }
    if (history == null) {
      throw new UserError("monitor history limits are missing");
    }
    if (maxQueuedEvents < 1000) {
      throw new UserError("monitor.max-queued-events: " + maxQueuedEvents + " is below the minimum of 1000");
    }
  }

  private static void checkPort(String what, int port) {
    if (port < -1 || port > 65535) {
      throw new UserError("monitor " + what + ": " + port + " is not in 0..65535 (or -1 to disable)");
    }
  }

  public static MonitorSettings defaults() {
    return new MonitorSettings("127.0.0.1", 5555, 5555, -1, null, 16 << 20, Duration.ofSeconds(60),
        Duration.ofSeconds(1), Duration.ofSeconds(30), 500_000, true, HistoryLimits.defaults());
  }

  public MonitorSettings withBind(String v) {
    return new MonitorSettings(v, tcpPort, udpPort, tlsPort, tls, maxFrameBytes, defaultTtl, tick, snapshotInterval, maxQueuedEvents, builtinRules, history);
  }

  public MonitorSettings withTcpPort(int v) {
    return new MonitorSettings(bind, v, udpPort, tlsPort, tls, maxFrameBytes, defaultTtl, tick, snapshotInterval, maxQueuedEvents, builtinRules, history);
  }

  public MonitorSettings withUdpPort(int v) {
    return new MonitorSettings(bind, tcpPort, v, tlsPort, tls, maxFrameBytes, defaultTtl, tick, snapshotInterval, maxQueuedEvents, builtinRules, history);
  }

  /** TLS on {@code port} with the given certificate, key and optional client CA. */
  public MonitorSettings withTls(int port, TlsConfig config) {
    return new MonitorSettings(bind, tcpPort, udpPort, port, config, maxFrameBytes, defaultTtl, tick, snapshotInterval, maxQueuedEvents, builtinRules, history);
  }

  public MonitorSettings withMaxFrameBytes(int v) {
    return new MonitorSettings(bind, tcpPort, udpPort, tlsPort, tls, v, defaultTtl, tick, snapshotInterval, maxQueuedEvents, builtinRules, history);
  }

  public MonitorSettings withDefaultTtl(Duration v) {
    return new MonitorSettings(bind, tcpPort, udpPort, tlsPort, tls, maxFrameBytes, v, tick, snapshotInterval, maxQueuedEvents, builtinRules, history);
  }

  public MonitorSettings withTick(Duration v) {
    return new MonitorSettings(bind, tcpPort, udpPort, tlsPort, tls, maxFrameBytes, defaultTtl, v, snapshotInterval, maxQueuedEvents, builtinRules, history);
  }

  public MonitorSettings withSnapshotInterval(Duration v) {
    return new MonitorSettings(bind, tcpPort, udpPort, tlsPort, tls, maxFrameBytes, defaultTtl, tick, v, maxQueuedEvents, builtinRules, history);
  }

  public MonitorSettings withMaxQueuedEvents(long v) {
    return new MonitorSettings(bind, tcpPort, udpPort, tlsPort, tls, maxFrameBytes, defaultTtl, tick, snapshotInterval, v, builtinRules, history);
  }

  /** Whether the built-in rules run when the definition declares no monitoring. */
  public MonitorSettings withBuiltinRules(boolean v) {
    return new MonitorSettings(bind, tcpPort, udpPort, tlsPort, tls, maxFrameBytes, defaultTtl, tick, snapshotInterval, maxQueuedEvents, v, history);
  }

  /** How much metric history the dashboard's charts can show. */
  public MonitorSettings withHistory(HistoryLimits v) {
    return new MonitorSettings(bind, tcpPort, udpPort, tlsPort, tls, maxFrameBytes, defaultTtl, tick, snapshotInterval, maxQueuedEvents, builtinRules, v);
  }
}

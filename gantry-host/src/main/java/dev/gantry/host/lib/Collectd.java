package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.text.UnifiedDiff;
import dev.gantry.host.property.Check;
import dev.gantry.host.property.Context;
import dev.gantry.host.property.Info;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.PropertyFailure;
import dev.gantry.host.property.Props;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * collectd reporting system metrics (cpu, memory, load, disks, network) to Gantry's monitor
 * over the Riemann protocol ({@code write_riemann}), under the host's name in the definition. The configuration must pass
 * {@code collectd -t} before it is kept; restart with {@code .onChange(Systemd.restarted("collectd"))}.
 *
 * <pre>{@code
 * Collectd.reportingTo("monitor.example.com", 5555)
 * Collectd.reportingToHost("monitor", 5555, Duration.ofSeconds(10))   // the definition's host "monitor"
 * }</pre>
 */
public final class Collectd {
  public static final String CONF = "/etc/collectd/collectd.conf";

  private Collectd() {}

  public static Property reportingTo(String monitorHost, int port) {
    return reportingTo(monitorHost, port, java.time.Duration.ofSeconds(10));
  }

  /** Reports every {@code interval} (whole seconds, at least one). */
  public static Property reportingTo(String monitorHost, int port, java.time.Duration interval) {
    requireInterval(interval);
    requireAddress(monitorHost, port);
    return reporting(monitorHost + ":" + port, ctx -> monitorHost, port, interval, List.of());
  }

  /**
   * Reports every {@code interval} to the monitor on {@code monitorHost}, another host of the
   * definition: its address is the one the spin resolves (the host's own, else the one
   * {@code gantry cloud up} recorded), so the definition names no address. A spin of this host
   * is refused when the definition declares no host of that name.
   */
  public static Property reportingToHost(String monitorHost, int port, java.time.Duration interval) {
    requireInterval(interval);
    requireAddress(monitorHost, port);
    return reporting("host " + monitorHost + ":" + port, ctx -> {
      String address = ctx.addressOf(monitorHost);
      if (!address.matches(ADDRESS)) {
        throw new PropertyFailure("the address of host '" + monitorHost + "' ('" + address + "') is not valid for collectd");
      }
      return address;
    }, port, interval, List.of(new Info.PeerAddressWanted(monitorHost)));
  }

  private static final String ADDRESS = "[A-Za-z0-9.:-]+";

  private static void requireInterval(java.time.Duration interval) {
    if (interval.toSeconds() < 1) {
      throw new DefinitionError("collectd interval must be at least one second");
    }
  }

  private static void requireAddress(String host, int port) {
    if (!host.matches(ADDRESS) || port < 1 || port > 65535) {
      throw new DefinitionError("monitor address '" + host + ":" + port + "' is not valid");
    }
  }

  private static Property reporting(String to, Function<Context, String> address, int port, java.time.Duration interval,
      List<Info> info) {
    Property file = Props.checked("collectd configured for " + to, ctx -> {
      String conf = configuration(ctx.hostName(), address.apply(ctx), port, interval);
      String old = ctx.target().readText(CONF).orElse(null);
      return conf.equals(old) ? Check.holds()
          : Check.change((old == null ? "create " : "update ") + CONF, UnifiedDiff.of(CONF, old, conf));
    }, (ctx, c) -> writeValidated(ctx.target(), configuration(ctx.hostName(), address.apply(ctx), port, interval)));
    List<Info> all = new ArrayList<>(info);
    all.add(new Info.ServiceMonitored("collectd"));
    return Props.withInfo(Props.sequence("collectd reporting to " + to,
        Apt.installed("collectd-core", "libriemann-client0"),
        File.directory("/etc/collectd"), file, Systemd.enabled("collectd")),
        all.toArray(Info[]::new));
  }

  /**
   * The {@code collectd.conf} this property writes for {@code hostName}: system metrics every
   * {@code interval} to the monitor at {@code host:port}, unbatched TCP.
   *
   * <pre>{@code
   * String conf = Collectd.configuration("web1", "127.0.0.1", 5555, Duration.ofSeconds(10));
   * }</pre>
   */
  public static String configuration(String hostName, String host, int port, java.time.Duration interval) {
    // df: every filesystem a person can fill, by mount point rather than by type: a tmpfs or
    // overlay may be where data lives (a lab machine's root is an overlay, /tmp a tmpfs), while
    // the kernel's and systemd's own mounts and Docker's per-container ones are noise.
    // Batch false: Debian 12's write_riemann (collectd 5.12.0-14 with libriemann-client
    // 1.10.4) calls riemann_event_set(..., TIME_MICROS, t) without the terminating
    // RIEMANN_EVENT_FIELD_NONE (collectd issue #4050, fixed by PR #4232, not in that package);
    // with batching, 5.12's default, that segfaults about a second after start, every time.
    // Unbatched TCP keeps running. At collectd's rate (tens of values per interval) batching
    // saves nothing that matters, so it stays off whatever the version.
    return """
        # managed by gantry: system metrics to Gantry's monitor (Riemann protocol)
        Hostname "%s"
        FQDNLookup false
        Interval %d
        LoadPlugin syslog
        LoadPlugin cpu
        LoadPlugin df
        LoadPlugin disk
        LoadPlugin interface
        LoadPlugin load
        LoadPlugin memory
        LoadPlugin swap
        LoadPlugin write_riemann
        <Plugin df>
          FSType rootfs
          FSType sysfs
          FSType proc
          FSType devtmpfs
          FSType devpts
          MountPoint "/^/(dev|proc|sys|run)(/|$)/"
          MountPoint "/^/var/lib/docker/./"
          MountPoint "/^/snap/"
          IgnoreSelected true
          ValuesPercentage true
        </Plugin>
        <Plugin write_riemann>
          <Node "gantry">
            Host "%s"
            Port "%d"
            Protocol TCP
            Batch false
            StoreRates true
            AlwaysAppendDS false
            TTLFactor 2.0
          </Node>
          Tag "collectd"
        </Plugin>
        """.formatted(hostName, interval.toSeconds(), host, port);
  }

  private static void writeValidated(Target t, String conf) {
    Optional<byte[]> old = t.read(CONF);
    t.write(CONF, conf.getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0644));
    ProcessResult r = t.run("collectd", "-t", "-C", CONF);
    if (!r.ok()) {
      if (old.isPresent()) {
        t.write(CONF, old.get(), FileAttrs.KEEP);
      } else {
        t.run("rm", "-f", CONF);
      }
      throw new PropertyFailure("collectd -t rejects " + CONF + " (kept the previous configuration): " + r.tail());
    }
  }
}

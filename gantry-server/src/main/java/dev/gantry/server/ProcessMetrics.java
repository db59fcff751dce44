package dev.gantry.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The one meter registry of a Gantry process: JVM and process meters, and whatever every
 * component counts into {@link #registry()}; {@link GantryServer} serves it at {@code /metrics}
 * in Prometheus text. The assembly makes one and hands it to each component, so nothing a
 * component counts is kept where {@code /metrics} cannot see it.
 *
 * <pre>{@code
 * try (ProcessMetrics metrics = ProcessMetrics.start()) {
 *   MonitorService monitor = MonitorService.start(settings, dir, metrics.registry(), Clock.systemUTC());
 *   GantryServer server = GantryServer.start(serverSettings, List.of(monitor.webComponent()), metrics);
 * }
 * }</pre>
 */
public final class ProcessMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  // holds listeners on the JVM's collectors: closed with the registry so a stopped process leaves none behind
  private final JvmGcMetrics gc;

  private ProcessMetrics(PrometheusMeterRegistry registry, JvmGcMetrics gc) {
    this.registry = registry;
    this.gc = gc;
  }

  /** A registry with the JVM's memory, GC, threads, class loading, processor and uptime meters bound. */
  public static ProcessMetrics start() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return new ProcessMetrics(registry, gc);
  }

  /** Where components register their meters. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Every meter in the Prometheus text format (the body of {@code GET /metrics}). */
  String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}

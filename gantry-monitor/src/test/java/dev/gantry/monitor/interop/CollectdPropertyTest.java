package dev.gantry.monitor.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.host.lib.Collectd;
import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.Proc;
import dev.gantry.monitor.client.Event;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's collectd, configured exactly as the {@link Collectd} host property writes it (at
 * {@code Interval 1}), sends to the real monitor for a minute: it stays up (the batched
 * write_riemann of collectd 5.12 crashed within seconds) and its event rate holds steady.
 */
@Tag("integration")
class CollectdPropertyTest {
  static final String HOST = "collectd-property";

  @TempDir
  Path dir;

  @Test
  void thePropertysConfigurationKeepsSendingForAMinute() throws Exception {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    try (MonitorService monitor = MonitorService.start(MonitorSettings.defaults().withTcpPort(0).withUdpPort(-1)
        .withBuiltinRules(false), dir.resolve("data"), metrics, Clock.systemUTC())) {
      String conf = Collectd.configuration(HOST, "127.0.0.1", monitor.tcpPort(), Duration.ofSeconds(1));
      assertThat(conf).contains("Batch false");
      Path file = dir.resolve("collectd.conf");
      Files.writeString(file, conf);
      Proc.run(List.of("collectd", "-t", "-C", file.toString())).ok();

      Path log = dir.resolve("collectd.log");
      Process collectd = new ProcessBuilder("collectd", "-f", "-C", file.toString(), "-P", dir.resolve("pid").toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        // the first seconds go to plugins starting up; then six windows of 10 s
        Thread.sleep(5_000);
        List<Double> perWindow = new ArrayList<>();
        double before = received(metrics);
        for (int i = 0; i < 6; i++) {
          Thread.sleep(10_000);
          assertThat(collectd.isAlive()).as("collectd still running after %d s; log: %s", 5 + 10 * (i + 1),
              Files.readString(log)).isTrue();
          double now = received(metrics);
          perWindow.add(now - before);
          before = now;
        }
        double max = perWindow.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double min = perWindow.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        // Interval 1: every window holds ten rounds of cpu, memory, load, swap, df, disk, interface values
        assertThat(min).as("events per 10 s window: %s", perWindow).isGreaterThan(50);
        assertThat(min / max).as("a steady rate, events per 10 s window: %s", perWindow).isGreaterThan(0.8);

        List<Event> indexed = monitor.engine().call(c -> c.query("host = \"" + HOST + "\"")).get();
        assertThat(indexed).extracting(Event::service)
            .anyMatch(s -> s.startsWith("cpu-")).anyMatch(s -> s.startsWith("memory"))
            .anyMatch(s -> s.startsWith("load")).anyMatch(s -> s.startsWith("df-"));
        assertThat(indexed).allMatch(e -> e.tagged("collectd"));
        assertThat(metrics.find("gantry.monitor.refused").counters()).allMatch(c -> c.count() == 0);
      } finally {
        collectd.destroy();
        if (!collectd.waitFor(10, TimeUnit.SECONDS)) {
          collectd.destroyForcibly().waitFor();
        }
      }
    }
  }

  static double received(SimpleMeterRegistry metrics) {
    var c = metrics.find("gantry.monitor.events.received").tag("transport", "tcp").counter();
    return c == null ? 0 : c.count();
  }
}

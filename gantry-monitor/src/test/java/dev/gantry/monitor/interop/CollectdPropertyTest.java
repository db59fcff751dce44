package dev.gantry.monitor.interop;

import static org.assertj.core.api.Assertions.assertThat;

import static dev.gantry.monitor.rules.BuiltinRules.diskFull;

import dev.gantry.host.lib.Collectd;
import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.Proc;
import dev.gantry.monitor.RecordingHttp;
import dev.gantry.monitor.alert.Receivers;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.rules.Monitoring;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's collectd, configured exactly as the {@link Collectd} host property writes it (at
 * {@code Interval 1}), sends to the real monitor for a minute: it stays up (the batched
 * write_riemann of collectd 5.12 crashed within seconds) and its event rate holds steady. Every
 * filesystem it reports is in the index with all its series, although that write_riemann
 * empties the service of about four events in ten (the monitor rebuilds it), and a small
 * filesystem filled before the start raises one disk-full alert.
 */
@Tag("integration")
class CollectdPropertyTest {
  static final String HOST = "collectd-property";

  @TempDir
  Path dir;

  @Test
  void thePropertysConfigurationKeepsSendingForAMinute() throws Exception {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    Path full = dir.resolve("full");
    Files.createDirectories(full);
    Proc.run(List.of("mount", "-t", "tmpfs", "-o", "size=2m", "collectd-property-full", full.toString())).ok();
    try (RecordingHttp slack = new RecordingHttp();
        MonitorService monitor = MonitorService.start(MonitorSettings.defaults().withTcpPort(0).withUdpPort(-1)
            .withTick(Duration.ofMillis(200)).withBuiltinRules(false), dir.resolve("data"), metrics, Clock.systemUTC())) {
      monitor.apply(List.of(Monitoring.rules().rule(diskFull(90)).groupWait(Duration.ZERO)
          .sendTo(Receivers.slack(slack.uri("/services/T000/B000/XXXX")))), List.of());
      Proc.run(List.of("dd", "if=/dev/zero", "of=" + full.resolve("filler"), "bs=1k", "count=2000")).ok();
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
        assertThat(indexed).as("services rebuilt, blank state and description dropped")
            .allMatch(e -> e.service() != null && !e.service().isEmpty() && e.state() == null && e.description() == null);
        // every filesystem collectd reports arrives with all six of its series (seen over three
        // seconds: at Interval 1 with a TTL of 2 s one may expire just before the next arrives)
        Set<String> services = indexed.stream().map(Event::service).collect(Collectors.toCollection(HashSet::new));
        for (int i = 0; i < 3; i++) {
          Thread.sleep(1000);
          monitor.engine().call(c -> c.query("host = \"" + HOST + "\"")).get().forEach(e -> services.add(e.service()));
        }
        Set<String> mounts = services.stream().filter(s -> s.startsWith("df-")).map(s -> s.substring(0, s.indexOf('/')))
            .collect(Collectors.toSet());
        String mount = "df-" + full.toString().substring(1).replace('/', '-');
        assertThat(mounts).contains("df-root", mount);
        for (String m : mounts) {
          for (String series : List.of("df_complex-free", "df_complex-used", "df_complex-reserved",
              "percent_bytes-free", "percent_bytes-used", "percent_bytes-reserved")) {
            assertThat(services).as(m).contains(m + "/" + series);
          }
        }
        assertThat(metrics.find("gantry.monitor.refused").counters()).allMatch(c -> c.count() == 0);
        assertThat(metrics.counter("gantry.monitor.engine", "what", "collectd-repaired").count())
            .as("values whose service the monitor rebuilt").isPositive();
        assertThat(monitor.engine().call(c -> c.query("host = \"\"")).get()).as("no nameless host").isEmpty();
        List<String> firing = slack.bodies().stream().filter(b -> b.contains("FIRING disk-full")).toList();
        assertThat(firing).as("disk-full at Slack").hasSize(1);
        assertThat(firing.get(0)).contains(HOST, mount + "/percent_bytes-used");
      } finally {
        collectd.destroy();
        if (!collectd.waitFor(10, TimeUnit.SECONDS)) {
          collectd.destroyForcibly().waitFor();
        }
      }
    } finally {
      Proc.run(List.of("umount", full.toString()));
    }
  }

  static double received(SimpleMeterRegistry metrics) {
    var c = metrics.find("gantry.monitor.events.received").tag("transport", "tcp").counter();
    return c == null ? 0 : c.count();
  }
}

package dev.gantry.monitor.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.TcpClient;
import dev.gantry.monitor.rules.Monitoring;
import dev.gantry.monitor.stream.Streams;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code forward} sends matching events to another Riemann-protocol server. */
class ForwardTest {
  @TempDir
  Path dir;

  @Test
  void eventsAreForwardedToAnotherMonitor() throws Exception {
    try (MonitorService central = MonitorService.start(MonitorSettings.defaults().withTcpPort(0).withUdpPort(-1)
            .withBuiltinRules(false), dir.resolve("central"));
        MonitorService edge = MonitorService.start(MonitorSettings.defaults().withTcpPort(0).withUdpPort(-1)
            .withBuiltinRules(false), dir.resolve("edge"))) {
      edge.apply(List.of(Monitoring.rules().rule("up", Streams.where("tagged \"important\"",
          Streams.forward("127.0.0.1", central.tcpPort())))), List.of());
      try (TcpClient c = TcpClient.connect("127.0.0.1", edge.tcpPort())) {
        c.send(List.of(Event.builder().host("e1").service("a").tags("important").build(),
            Event.builder().host("e1").service("b").build()));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> central.engine().call(x -> x.index().size()).get() == 1);
      assertThat(central.engine().call(x -> x.query("true")).get()).extracting(Event::service).containsExactly("a");
    }
  }
}

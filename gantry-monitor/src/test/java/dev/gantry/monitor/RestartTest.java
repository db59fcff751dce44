package dev.gantry.monitor;

import static dev.gantry.monitor.rules.BuiltinRules.diskFull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gantry.core.UserError;
import dev.gantry.monitor.alert.Receivers;
import dev.gantry.monitor.alert.Status;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.TcpClient;
import dev.gantry.monitor.index.IndexSnapshots;
import dev.gantry.monitor.rules.Monitoring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restart keeps the index, the alert states and the silences, and sends no duplicate alert. */
class RestartTest {
  @TempDir
  Path data;

  MonitorService start(RecordingHttp slack) {
    MonitorService m = MonitorService.start(MonitorSettings.defaults().withTcpPort(0).withUdpPort(-1)
        .withTick(Duration.ofMillis(100)).withSnapshotInterval(Duration.ofMillis(300)).withBuiltinRules(false), data);
    m.apply(List.of(Monitoring.rules().rule(diskFull(90)).groupWait(Duration.ZERO)
        .sendTo(Receivers.slack(slack.uri("/hook")))), List.of());
    return m;
  }

  @Test
  void indexAlertsAndSilencesSurviveARestart() throws Exception {
    try (RecordingHttp slack = new RecordingHttp()) {
      MonitorService first = start(slack);
      try (TcpClient c = TcpClient.connect("127.0.0.1", first.tcpPort())) {
        c.send(List.of(
            Event.builder().host("db1").service("df-data/percent_bytes-used").metric(97.0).ttl(3600).build(),
            Event.builder().host("web1").service("cpu").metric(3.0).ttl(3600).build()));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> slack.bodies().size() == 1);
      first.engine().call(c -> c.withBook(b -> b.silence("host = \"web9\"", Instant.now(), Instant.now().plusSeconds(3600),
          "maintenance", "ops"))).get();
      // the periodic snapshot is written while running
      await().atMost(Duration.ofSeconds(10)).until(() -> IndexSnapshots.load(data.resolve("index.snapshot")).size() == 2);
      first.close();

      MonitorService second = start(slack);
      try (TcpClient c = TcpClient.connect("127.0.0.1", second.tcpPort())) {
        assertThat(c.query("true")).extracting(Event::host).containsExactlyInAnyOrder("db1", "web1");
        // still full: the alert stays firing and is not notified again
        c.send(List.of(Event.builder().host("db1").service("df-data/percent_bytes-used").metric(97.5).ttl(3600).build()));
      }
      var alerts = second.engine().call(c -> c.book().alerts()).get();
      assertThat(alerts).singleElement().satisfies(a -> {
        assertThat(a.status()).isEqualTo(Status.FIRING);
        assertThat(a.host()).isEqualTo("db1");
      });
      assertThat(second.engine().call(c -> c.book().silences()).get()).singleElement()
          .satisfies(s -> assertThat(s.comment()).isEqualTo("maintenance"));
      Thread.sleep(500);
      assertThat(slack.bodies()).hasSize(1);
      second.close();
    }
  }

  @Test
  void aDamagedSnapshotIsRefusedWithItsName() throws Exception {
    Files.createDirectories(data);
    Files.writeString(data.resolve("index.snapshot"), "not a snapshot");
    assertThatThrownBy(() -> MonitorService.start(MonitorSettings.defaults().withTcpPort(0).withUdpPort(-1), data))
        .isInstanceOf(UserError.class).hasMessageContaining("index.snapshot").hasMessageContaining("bad header");
  }

  @Test
  void aDamagedAlertFileIsRefusedWithItsName() throws Exception {
    Files.createDirectories(data);
    Files.writeString(data.resolve("alerts.json"), "{ nope");
    assertThatThrownBy(() -> MonitorService.start(MonitorSettings.defaults().withTcpPort(0).withUdpPort(-1), data))
        .isInstanceOf(UserError.class).hasMessageContaining("alerts.json");
  }
}

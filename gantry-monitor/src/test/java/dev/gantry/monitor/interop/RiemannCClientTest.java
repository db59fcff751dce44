package dev.gantry.monitor.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.Proc;
import dev.gantry.monitor.index.IndexKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's riemann-client (riemann-c-client) sends and queries over TCP and UDP. */
@Tag("integration")
class RiemannCClientTest {
  @TempDir
  static Path data;
  static MonitorService monitor;

  @BeforeAll
  static void start() {
    monitor = MonitorService.start(MonitorSettings.defaults().withTcpPort(0).withUdpPort(0), data);
  }

  @AfterAll
  static void stop() {
    monitor.close();
  }

  static Proc client(String... args) {
    List<String> cmd = new ArrayList<>(List.of("riemann-client"));
    cmd.addAll(List.of(args));
    return Proc.run(cmd);
  }

  @Test
  void sendsOverTcpAndQueriesBack() throws Exception {
    client("send", "-h", "web1", "-S", "cpu user", "-s", "warning", "-D", "busy", "-d", "87.5", "-t", "collectd",
        "-a", "plugin=cpu", "-L", "30", "127.0.0.1", Integer.toString(monitor.tcpPort())).ok();
    var e = monitor.engine().call(c -> c.index().get(new IndexKey("web1", "cpu user"))).get();
    assertThat(e).isNotNull();
    assertThat(e.state()).isEqualTo("warning");
    assertThat(e.metricValue()).isEqualTo(87.5);
    assertThat(e.ttl()).isEqualTo(30f);
    assertThat(e.tags()).containsExactly("collectd");
    assertThat(e.attribute("plugin")).isEqualTo("cpu");

    Proc q = client("query", "host = \"web1\" and service = \"cpu user\"", "-j", "127.0.0.1",
        Integer.toString(monitor.tcpPort())).ok();
    JsonNode arr = new ObjectMapper().readTree(q.stdout());
    assertThat(arr).hasSize(1);
    assertThat(arr.get(0).get("host").asText()).isEqualTo("web1");
    assertThat(arr.get(0).get("state").asText()).isEqualTo("warning");
    assertThat(arr.get(0).get("description").asText()).isEqualTo("busy");
  }

  @Test
  void integerMetricsAndScansWork() throws Exception {
    client("send", "-h", "db1", "-S", "connections", "-i", "42", "-s", "ok", "127.0.0.1",
        Integer.toString(monitor.tcpPort())).ok();
    client("send", "-h", "db2", "-S", "connections", "-i", "7", "-s", "ok", "127.0.0.1",
        Integer.toString(monitor.tcpPort())).ok();
    Proc q = client("query", "service = \"connections\" and metric > 10", "-j", "127.0.0.1",
        Integer.toString(monitor.tcpPort())).ok();
    JsonNode arr = new ObjectMapper().readTree(q.stdout());
    assertThat(arr).hasSize(1);
    assertThat(arr.get(0).get("host").asText()).isEqualTo("db1");
  }

  @Test
  void sendsOverUdp() {
    client("send", "-U", "-h", "udp1", "-S", "load", "-f", "0.5", "127.0.0.1", Integer.toString(monitor.udpPort())).ok();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        monitor.engine().call(c -> c.index().get(new IndexKey("udp1", "load"))).get() != null);
  }

  @Test
  void aBadQueryIsAnsweredWithTheParseError() {
    Proc q = client("query", "host = ", "127.0.0.1", Integer.toString(monitor.tcpPort()));
    assertThat(q.exitCode()).isNotZero();
    assertThat(q.stdout() + q.stderr()).contains("expected a value");
  }
}

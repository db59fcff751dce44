package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.config.Config;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.TcpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process put together in this JVM, on loopback and free ports. */
class AssemblyTest {
  private static final Pattern MONITOR_TCP = Pattern.compile("Monitor: Riemann TCP (\\d+)");

  @TempDir Path data;
  final List<String> lines = new ArrayList<>();

  Config config(Map<String, String> more) {
    Map<String, String> flags = new HashMap<>(Map.of("data-dir", data.toString(), "server.port", "0",
        "monitor.tcp-port", "0", "monitor.udp-port", "-1"));
    flags.putAll(more);
    return Config.builder(Assembly.settings()).flags(flags).build();
  }

  int monitorTcpPort() {
    return lines.stream().map(MONITOR_TCP::matcher).filter(Matcher::find).map(m -> Integer.parseInt(m.group(1)))
        .findFirst().orElseThrow(() -> new AssertionError("no monitor line in " + lines));
  }

  String metricsAfterAnEvent(Assembly running) throws Exception {
    try (TcpClient c = TcpClient.connect("127.0.0.1", monitorTcpPort())) {
      c.send(List.of(Event.builder().host("assembled").service("up").ttl(600).build()));
    }
    String url = running.server().orElseThrow().url();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void theServersMetricsShowWhatTheMonitorCounts() throws Exception {
    try (Assembly running = Assembly.start(config(Map.of()), Assembly.Mode.SERVER, lines)) {
      // one registry: the monitor's counter next to the JVM's meters and the server's own timers
      assertThat(metricsAfterAnEvent(running)).contains("gantry_monitor_events_received_total{transport=\"tcp\"} 1.0")
          .contains("gantry_monitor_index_size").contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void theMonitorAloneIsTheSameAssemblyWithoutTheCi() throws Exception {
    try (Assembly running = Assembly.start(config(Map.of()), Assembly.Mode.monitorAlone(true), lines)) {
      assertThat(metricsAfterAnEvent(running)).contains("gantry_monitor_events_received_total{transport=\"tcp\"} 1.0");
      assertThat(running.server().orElseThrow().adminToken().file()).isEqualTo(data.resolve("admin-token"));
      assertThat(lines).noneMatch(l -> l.startsWith("CI"));
      assertThat(String.join("\n", lines)).contains("dashboard " + running.server().orElseThrow().url() + "/monitor");
    }
    assertThat(data.resolve("gantry.db")).doesNotExist();
    assertThat(data.resolve("monitor/index.snapshot")).exists();
  }

  @Test
  void theMonitorAloneMayRunWithoutAWebServer() throws Exception {
    try (Assembly running = Assembly.start(config(Map.of()), Assembly.Mode.monitorAlone(false), lines)) {
      assertThat(running.server()).isEmpty();
      assertThat(lines).anyMatch(l -> l.endsWith(", no dashboard"));
      try (TcpClient c = TcpClient.connect("127.0.0.1", monitorTcpPort())) {
        c.send(List.of(Event.builder().host("headless").service("up").ttl(600).build()));
      }
    }
    assertThat(data.resolve("admin-token")).doesNotExist();
  }

  @Test
  void aDefinitionThatWasNamedMustExist() {
    Path missing = data.resolve("no-such-infra");
    assertThatThrownBy(() -> Assembly.start(config(Map.of("infra", missing.toString())), Assembly.Mode.monitorAlone(false),
        lines)).isInstanceOf(UserError.class).hasMessageContaining(missing + " (it does not exist)");
    // the default, ./infra, may be absent: the built-in rules run
    try (Assembly running = Assembly.start(config(Map.of()), Assembly.Mode.monitorAlone(false), lines)) {
      assertThat(lines).anyMatch(l -> l.startsWith("Monitoring rules: built-in"));
    }
  }

  @Test
  void aModeWithTheCiHasTheWebServer() {
    assertThatThrownBy(() -> new Assembly.Mode(Assembly.Ci.WHEN_CONFIGURED, false, false, true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Assembly.Mode(Assembly.Ci.OFF, true, true, true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

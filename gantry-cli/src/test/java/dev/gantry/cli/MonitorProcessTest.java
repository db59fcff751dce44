package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.TcpClient;
import dev.gantry.monitor.index.IndexSnapshots;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry monitor} as a real process: the assembly with only the monitor, on loopback
 * and free ports; what it counts is on the server's {@code /metrics}, and SIGTERM saves its index.
 */
@Tag("integration")
class MonitorProcessTest {
  private static final Pattern URL = Pattern.compile("Gantry is up: (http://127\\.0\\.0\\.1:\\d+)");
  private static final Pattern MONITOR = Pattern.compile(
      "Monitor: Riemann TCP (\\d+), UDP off, dashboard (http://127\\.0\\.0\\.1:\\d+)/monitor");

  @TempDir Path work;

  @Test
  void theMonitorRunsAloneCountsIntoMetricsAndSavesItsIndexWhenStopped() throws Exception {
    Path data = work.resolve("data");
    String java = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "monitor", "--tcp-port", "0", "--udp-port", "-1", "--http-port", "0", "--data-dir", data.toString())
        .directory(work.toFile())
        .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("GANTRY_"));
    Process p = pb.start();
    try {
      List<String> lines = new ArrayList<>();
      BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      for (String line; (line = in.readLine()) != null && !line.startsWith("Press Ctrl-C"); ) {
        lines.add(line);
      }
      String all = String.join("\n", lines);
      Matcher url = URL.matcher(all);
      Matcher monitor = MONITOR.matcher(all);
      assertThat(url.find() && monitor.find()).as(all).isTrue();
      assertThat(monitor.group(2)).isEqualTo(url.group(1));
      Thread.ofVirtual().start(() -> in.lines().forEach(l -> { }));

      // the token is made in the data directory and named, never printed
      Path tokenFile = data.resolve("admin-token");
      assertThat(all).contains("admin token: made in " + tokenFile);
      String token = Files.readString(tokenFile).trim();
      assertThat(token).hasSize(48);
      assertThat(all).doesNotContain(token);

      try (TcpClient c = TcpClient.connect("127.0.0.1", Integer.parseInt(monitor.group(1)))) {
        c.send(List.of(Event.builder().host("alone").service("up").ttl(600).build()));
      }
      HttpResponse<String> metrics = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(url.group(1) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("gantry_monitor_events_received_total{transport=\"tcp\"} 1.0");

      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(IndexSnapshots.load(data.resolve("monitor/index.snapshot"))).extracting(Event::host).contains("alone");
    } finally {
      p.destroyForcibly();
    }
  }
}

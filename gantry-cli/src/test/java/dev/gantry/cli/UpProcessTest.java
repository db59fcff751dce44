package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.TcpClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry up} as a real process: serves, stops on Ctrl-C (SIGINT) quickly, restarts on the same data. */
@Tag("integration")
class UpProcessTest {
  private static final Pattern URL = Pattern.compile("Gantry is up: (http://\\S+)");

  @TempDir Path work;

  record Started(Process process, String url, List<String> lines) {}

  Started start() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    // perl resets SIGINT to its default: a test runner started in the background ignores it,
    // and a JVM keeps an ignored SIGINT ignored.
    ProcessBuilder pb = new ProcessBuilder("perl", "-e", "$SIG{INT}='DEFAULT'; exec @ARGV or die $!",
        java, "-cp", System.getProperty("java.class.path"), "dev.gantry.cli.Main", "up", "--port", "0")
        .directory(work.toFile())
        .redirectErrorStream(true);
    pb.environment().remove("GANTRY_TOKEN");
    pb.environment().put("GANTRY_MONITOR_TCP_PORT", "0");
    pb.environment().put("GANTRY_MONITOR_UDP_PORT", "0");
    Process p = pb.start();
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String line;
    while (System.nanoTime() < deadline && (line = r.readLine()) != null) {
      lines.add(line);
      if (line.startsWith("Press Ctrl-C")) {
        String url = lines.stream().map(URL::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst().orElseThrow();
        Thread.ofVirtual().start(() -> r.lines().forEach(l -> { }));
        return new Started(p, url, lines);
      }
    }
    p.destroyForcibly();
    throw new AssertionError("gantry up did not start: " + lines);
  }

  /** One meter registry in the process: an event the monitor received is counted on {@code /metrics}. */
  void theMonitorsCountersAreOnTheServersMetrics(HttpClient http, Started started) throws Exception {
    Pattern tcp = Pattern.compile("Monitor: Riemann TCP (\\d+)");
    int port = started.lines().stream().map(tcp::matcher).filter(Matcher::find)
        .map(m -> Integer.parseInt(m.group(1))).findFirst().orElseThrow();
    try (TcpClient c = TcpClient.connect("127.0.0.1", port)) {
      c.send(List.of(Event.builder().host("up").service("counted").ttl(600).build()));
    }
    var metrics = http.send(HttpRequest.newBuilder(URI.create(started.url() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body()).containsPattern("gantry_monitor_events_received_total\\{transport=\"tcp\"} [1-9]");
  }

  /** The example repository, its hook and the local agent: a push to review reaches master. */
  void pushToReviewIsMergedByTheLocalAgent() throws Exception {
    Path bare = work.resolve("gantry-data/repos/example.git");
    Path clone = work.resolve("clone");
    git(work, "clone", "-q", bare.toString(), clone.toString());
    Files.writeString(clone.resolve("README.md"), "changed\n", java.nio.file.StandardOpenOption.APPEND);
    git(clone, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qam", "change");
    String head = git(clone, "rev-parse", "HEAD");
    git(clone, "push", "-q", "origin", "HEAD:review");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!git(bare, "rev-parse", "master").equals(head)) {
      assertThat(System.nanoTime()).as("master reached the pushed commit in time").isLessThan(deadline);
      Thread.sleep(250);
    }
    // the note is pushed right after master, as its own update
    while (!gitOk(bare, "notes", "show", "master")) {
      assertThat(System.nanoTime()).as("master's note arrived in time").isLessThan(deadline);
      Thread.sleep(100);
    }
    assertThat(git(bare, "notes", "show", "master")).startsWith("Build successful");
  }

  static boolean gitOk(Path dir, String... args) {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    return dev.gantry.core.process.Command.of(cmd).dir(dir).timeout(java.time.Duration.ofSeconds(30)).run().ok();
  }

  static String git(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor()).as("git %s: %s", String.join(" ", args), out).isZero();
    return out;
  }

  @Test
  void upServesStopsOnCtrlCAndReusesItsData() throws Exception {
    Started first = start();
    String token;
    try {
      HttpClient http = HttpClient.newHttpClient();
      var health = http.send(HttpRequest.newBuilder(URI.create(first.url() + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      var ui = http.send(HttpRequest.newBuilder(URI.create(first.url() + "/")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ui.body()).contains("<nav class=\"topnav\"");
      assertThat(first.lines()).anyMatch(l -> l.contains("admin token (shown once"));
      token = Files.readString(work.resolve("gantry-data/admin-token")).trim();
      assertThat(first.lines()).anyMatch(l -> l.contains("Monitor: Riemann TCP"))
          .anyMatch(l -> l.contains("Monitoring rules: built-in"));
      var dashboard = http.send(HttpRequest.newBuilder(URI.create(first.url() + "/monitor")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(dashboard.statusCode()).isIn(200, 302, 303, 401);
      theMonitorsCountersAreOnTheServersMetrics(http, first);
      assertThat(first.lines()).anyMatch(l -> l.contains("CI: guarding")).anyMatch(l -> l.contains("CI agent: 'local'"));
      pushToReviewIsMergedByTheLocalAgent();

      long t0 = System.nanoTime();
      new ProcessBuilder("kill", "-INT", Long.toString(first.process().pid())).start().waitFor();
      // Ctrl-C stops it by itself: requests in flight get 3 s, and a busy machine adds a few.
      // The bound is below what a stop that waited for its timers would take: the agent's
      // long poll (20 s) or the branch poll (1 min); a stop that hangs never ends at all.
      assertThat(first.process().waitFor(60, TimeUnit.SECONDS)).as("stopped after Ctrl-C").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    } finally {
      first.process().destroyForcibly();
      first.process().waitFor(30, TimeUnit.SECONDS);
    }

    Started second = start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      assertThat(second.lines()).noneMatch(l -> l.contains("shown once")).noneMatch(l -> l.contains(token));
      assertThat(Files.readString(work.resolve("gantry-data/admin-token")).trim()).isEqualTo(token);
      var r = http.send(HttpRequest.newBuilder(URI.create(second.url() + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
    } finally {
      second.process().destroy();
      if (!second.process().waitFor(30, TimeUnit.SECONDS)) {
        second.process().destroyForcibly();
      }
    }
  }
}

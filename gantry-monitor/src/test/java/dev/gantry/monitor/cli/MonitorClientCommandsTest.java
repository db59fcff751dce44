package dev.gantry.monitor.cli;

import dev.gantry.core.cli.ErrorHandler;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ServerSettings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.TcpClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code gantry monitor send|query|silence|alerts} against a running monitor. (The monitor run
 * alone, {@code gantry monitor} itself, is the assembly's: gantry-cli tests it.)
 */
class MonitorClientCommandsTest {
  static final String TOKEN = "cli-token-0123456789abcdef";

  @TempDir
  static Path dir;
  @TempDir
  static Path webData;
  static MonitorService monitor;
  static GantryServer web;
  static Path tokenFile;

  record Run(int exit, String out, String err) {}

  /** The {@code monitor} command's place in the tree: gantry-cli's command has these subcommands. */
  @Command(name = "monitor", subcommands = {SendCommand.class, QueryCommand.class, SilenceCommand.class,
      AlertsCommand.class})
  static final class Clients {}

  @BeforeAll
  static void start() throws Exception {
    monitor = MonitorService.start(MonitorSettings.defaults().withTcpPort(0).withUdpPort(-1), dir.resolve("data"));
    web = GantryServer.start(ServerSettings.defaults(webData).withPort(0).withToken(TOKEN),
        List.of(monitor.webComponent()));
    tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
  }

  @AfterAll
  static void stop() {
    web.close();
    monitor.close();
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = ErrorHandler.install(new CommandLine(new Clients()));
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static String server() {
    return "127.0.0.1:" + monitor.tcpPort();
  }

  static String[] web(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", "http://127.0.0.1:" + web.port(), "--token-file", tokenFile.toString()));
    return all.toArray(String[]::new);
  }

  @Test
  void sendAndQuery() throws Exception {
    Run sent = run("send", "--server", server(), "--host", "cli1", "-S", "backup age", "-m", "42", "-s", "ok", "-t", "backup",
        "-a", "job=nightly", "-L", "600", "--json");
    assertThat(sent.exit()).as(sent.err()).isZero();
    assertThat(sent.out().trim()).isEqualTo("{\"ok\":true}");
    Run q = run("query", "--server", server(), "host = \"cli1\"", "--json");
    assertThat(q.exit()).isZero();
    JsonNode arr = new ObjectMapper().readTree(q.out());
    assertThat(arr.get(0).get("metric").asLong()).isEqualTo(42);
    assertThat(arr.get(0).get("job").asText()).isEqualTo("nightly");
    Run table = run("query", "--server", server(), "host = \"cli1\"");
    assertThat(table.out()).contains("HOST").contains("backup age");
  }

  @Test
  void badInputIsAClearErrorWithExitCodes() {
    Run badQuery = run("query", "--server", server(), "host =");
    assertThat(badQuery.exit()).isEqualTo(1);
    assertThat(badQuery.err()).contains("expected a value").doesNotContain("Exception");
    Run badMetric = run("send", "--server", server(), "-S", "x", "-m", "lots");
    assertThat(badMetric.exit()).isEqualTo(1);
    assertThat(badMetric.err()).contains("--metric: 'lots' is not a number");
    assertThat(run("send", "--server", server()).exit()).isEqualTo(2);
    Run badServer = run("send", "--server", "nowhere", "-S", "x");
    assertThat(badServer.exit()).isEqualTo(1);
    assertThat(badServer.err()).contains("is not HOST:PORT");
    Run down = run("send", "--server", "127.0.0.1:1", "-S", "x");
    assertThat(down.exit()).isEqualTo(1);
    assertThat(down.err()).contains("cannot connect to 127.0.0.1:1");
    Run noToken = run("alerts", "--url", "http://127.0.0.1:" + web.port(), "--token-file", dir.resolve("missing").toString());
    assertThat(noToken.exit()).isEqualTo(1);
    assertThat(noToken.err()).contains("cannot read");
    Run badDuration = run(web("silence", "add", "true", "--for", "forever"));
    assertThat(badDuration.exit()).isEqualTo(1);
    assertThat(badDuration.err()).contains("'forever' is not a duration");
  }

  @Test
  void silencesAndAlerts() throws Exception {
    try (TcpClient c = TcpClient.connect("127.0.0.1", monitor.tcpPort())) {
      c.send(List.of(Event.builder().host("cli-db").service("df-data/percent_bytes-used").metric(99.0).ttl(600).build()));
    }
    Run alerts = run(web("alerts", "--json"));
    assertThat(alerts.exit()).as(alerts.err()).isZero();
    assertThat(alerts.out()).contains("disk-full").contains("cli-db");
    Run added = run(web("silence", "add", "host = \"cli-db\"", "--for", "2h", "--comment", "resizing", "--json"));
    assertThat(added.exit()).as(added.err()).isZero();
    String id = new ObjectMapper().readTree(added.out()).get("id").asText();
    assertThat(run(web("silence", "list")).out()).contains(id).contains("resizing");
    assertThat(run(web("alerts")).out()).contains("firing (silenced)");
    assertThat(run(web("silence", "expire", id)).exit()).isZero();
    Run again = run(web("silence", "expire", id));
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("no silence with id");
  }
}

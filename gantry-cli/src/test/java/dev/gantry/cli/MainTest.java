package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    CommandLine cmd = Main.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void versionExitsZero() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("gantry ");
  }

  @Test
  void helpOnEveryLevel() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("up").contains("server");
    assertThat(run("up", "--help")).isZero();
    assertThat(out.toString()).contains("--data-dir").contains("--port");
  }

  @Test
  void aCommandLineBuildsOnlyTheCapabilityItNames() {
    CommandLine all = Main.commandLine();
    assertThat(all.getSubcommands()).containsKeys("up", "server", "deploy", "ci", "monitor", "host", "cloud");
    for (String name : all.getSubcommands().keySet()) {
      CommandLine one = Main.commandLine(name);
      // the lazy table's names are the commands' own names
      assertThat(one.getSubcommands()).containsKey(name);
      assertThat(one.getSubcommands().get(name).getCommandSpec().userObject().getClass())
          .isEqualTo(all.getSubcommands().get(name).getCommandSpec().userObject().getClass());
    }
    assertThat(Main.commandLine("deploy").getSubcommands()).doesNotContainKeys("ci", "monitor", "host");
    assertThat(Main.commandLine("help").getSubcommands()).containsKeys("deploy", "ci");
  }

  @Test
  void monitorHelpShowsItsFlagsAndTheClientCommands() {
    assertThat(run("monitor", "--help")).isZero();
    assertThat(out.toString()).contains("send").contains("query").contains("silence").contains("alerts")
        .contains("--config").contains("--data-dir").contains("--tcp-port").contains("--http-port")
        .contains("--token-file").contains("gantry.yml");
  }

  @Test
  void monitorFlagsAreCheckedBeforeAnythingStarts() throws Exception {
    Path yml = java.nio.file.Files.writeString(dir.resolve("gantry.yml"), "{}\n");
    assertThat(run("monitor", "--config", yml.toString(), "--data-dir", dir.toString(), "--udp-port", "70000")).isEqualTo(2);
    assertThat(err.toString()).contains("--udp-port: '70000' is not a port in 0..65535 or -1 (setting monitor.udp-port)");
    assertThat(run("monitor", "--config", yml.toString(), "--data-dir", dir.toString(), "--tls-port", "0")).isEqualTo(1);
    assertThat(err.toString()).contains("gantry: TLS needs monitor.tls-port, monitor.tls-cert and monitor.tls-key together")
        .doesNotContain("\tat ");
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString()).contains("Unmatched argument").contains("frobnicate");
  }

  @Test
  void badPortIsAUsageError() {
    assertThat(run("server", "--port", "70000", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--port: '70000' is not a port number from 0 to 65535");
    assertThat(run("server", "--port", "eighty", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("server.port").contains("eighty");
  }

  @Test
  void configFileWithUnknownKeyNamesTheKeyAndFile() throws Exception {
    Path yml = dir.resolve("gantry.yml");
    java.nio.file.Files.writeString(yml, "server:\n  prot: 9000\n");
    assertThat(run("server", "--config", yml.toString(), "--data-dir", dir.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("gantry.yml").contains("server.prot").contains("server.port");
  }

  @Test
  void missingConfigFileNamedOnTheCommandLineIsAnError() {
    assertThat(run("server", "--config", dir.resolve("nope.yml").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("nope.yml");
  }

  @Test
  void portInUseFailsWithAMessageAndNoStackTrace() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int code = run("server", "--port", Integer.toString(taken.getLocalPort()), "--data-dir", dir.toString());
      assertThat(code).isEqualTo(1);
      assertThat(err.toString()).contains("gantry: cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .doesNotContain("\tat ");
    }
  }
}

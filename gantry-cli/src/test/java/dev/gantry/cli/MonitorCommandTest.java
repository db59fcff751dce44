package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.config.Config;
import dev.gantry.core.config.Secret;
import dev.gantry.monitor.MonitorConfig;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** How {@code gantry monitor}'s flags, the environment and {@code gantry.yml} make its configuration. */
class MonitorCommandTest {
  static final String TOKEN = "monitor-token-0123456789";

  @TempDir Path dir;

  MonitorCommand parsed(String... args) {
    MonitorCommand cmd = new MonitorCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd;
  }

  Config config(Map<String, String> env, String... args) {
    return parsed(args).config(env);
  }

  Path yml(String text) throws Exception {
    return Files.writeString(dir.resolve("gantry.yml"), text);
  }

  @Test
  void flagsWinOverTheEnvironmentWhichWinsOverGantryYml() throws Exception {
    Path yml = yml("""
        data-dir: %s
        server:
          port: 9000
        monitor:
          tcp-port: 6000
          udp-port: 6001
          default-ttl: 2m
          builtin-rules: true
        """.formatted(dir.resolve("from-file")));
    Config c = config(Map.of("GANTRY_MONITOR_TCP_PORT", "6100"), "--config", yml.toString(), "--udp-port", "-1",
        "--http-port", "0", "--no-builtin-rules");
    MonitorSettings monitor = MonitorConfig.settings(c);
    assertThat(monitor.tcpPort()).isEqualTo(6100);
    assertThat(monitor.udpPort()).isEqualTo(-1);
    assertThat(monitor.defaultTtl()).hasMinutes(2);
    assertThat(monitor.builtinRules()).isFalse();
    assertThat(c.get(ServerConfig.PORT)).isZero();
    assertThat(c.get(ServerConfig.DATA_DIR)).isEqualTo(dir.resolve("from-file"));
    assertThat(config(Map.of(), "--config", yml.toString(), "--data-dir", "elsewhere").get(ServerConfig.DATA_DIR))
        .isEqualTo(Path.of("elsewhere"));
  }

  @Test
  void withoutFlagsTheDefaultsAreTheSettingsDefaults() throws Exception {
    Config c = config(Map.of(), "--config", yml("{}\n").toString());
    assertThat(MonitorConfig.settings(c)).isEqualTo(MonitorSettings.defaults());
    assertThat(ServerConfig.settingsFrom(c).port()).isEqualTo(ServerConfig.PORT.defaultValue());
    assertThat(ServerConfig.settingsFrom(c).host()).isEqualTo(ServerConfig.HOST.defaultValue());
    assertThat(c.get(ServerConfig.DATA_DIR)).isEqualTo(ServerConfig.DATA_DIR.defaultValue());
    assertThat(c.find(ServerConfig.TOKEN)).isEmpty();
    assertThat(parsed().web()).isTrue();
  }

  @Test
  void eachFlagGivesTheSettingItNames() throws Exception {
    Path cert = Files.writeString(dir.resolve("server.crt"), "");
    Path key = Files.writeString(dir.resolve("server.key"), "");
    Path ca = Files.writeString(dir.resolve("ca.crt"), "");
    Config c = config(Map.of(), "--config", yml("{}\n").toString(), "--bind", "127.0.0.2", "--tcp-port", "0",
        "--tls-port", "5554", "--tls-cert", cert.toString(), "--tls-key", key.toString(), "--tls-client-ca", ca.toString(),
        "--infra", "defs/Infra.java");
    MonitorSettings monitor = MonitorConfig.settings(c);
    assertThat(monitor.bind()).isEqualTo("127.0.0.2");
    assertThat(c.get(ServerConfig.HOST)).isEqualTo("127.0.0.2");
    assertThat(monitor.tcpPort()).isZero();
    assertThat(monitor.tlsPort()).isEqualTo(5554);
    assertThat(monitor.tls().certificate()).isEqualTo(cert);
    assertThat(monitor.tls().privateKey()).isEqualTo(key);
    assertThat(monitor.tls().clientCa()).isEqualTo(ca);
    assertThat(c.get(ServerConfig.INFRA)).isEqualTo(Path.of("defs/Infra.java"));
  }

  @Test
  void httpPortMinusOneRunsNoWebServer() throws Exception {
    MonitorCommand cmd = parsed("--config", yml("{}\n").toString(), "--http-port", "-1");
    assertThat(cmd.web()).isFalse();
    assertThat(cmd.config(Map.of()).get(ServerConfig.PORT)).isEqualTo(ServerConfig.PORT.defaultValue());
  }

  @Test
  void theAdminTokenComesFromTheFileThenTheEnvironmentThenGantryYml() throws Exception {
    Path yml = yml("server:\n  token: from-the-file-0123456789\n");
    Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    String args = "--config " + yml;
    assertThat(token(Map.of(), args)).isEqualTo("from-the-file-0123456789");
    assertThat(token(Map.of("GANTRY_TOKEN", "from-gantry-token-0123456789"), args))
        .isEqualTo("from-gantry-token-0123456789");
    assertThat(token(Map.of("GANTRY_TOKEN", "from-gantry-token-0123456789",
        "GANTRY_SERVER_TOKEN", "from-server-token-0123456789"), args)).isEqualTo("from-server-token-0123456789");
    assertThat(token(Map.of("GANTRY_SERVER_TOKEN", "from-server-token-0123456789"), args + " --token-file " + file))
        .isEqualTo(TOKEN);
  }

  String token(Map<String, String> env, String args) {
    return config(env, args.split(" ")).find(ServerConfig.TOKEN).map(Secret::reveal).orElseThrow();
  }

  @Test
  void aBadTokenIsAClearErrorThatDoesNotShowIt() throws Exception {
    Path yml = yml("{}\n");
    Path shortToken = Files.writeString(dir.resolve("short"), "tiny-secret\n");
    assertThatThrownBy(() -> config(Map.of(), "--config", yml.toString(), "--token-file", shortToken.toString()))
        .isInstanceOf(UserError.class)
        .hasMessage("--token-file: " + shortToken + ": the admin token must be a secret of at least 16 characters");
    assertThatThrownBy(() -> config(Map.of(), "--config", yml.toString(), "--token-file", dir.resolve("nope").toString()))
        .isInstanceOf(UserError.class).hasMessage("--token-file: cannot read " + dir.resolve("nope"));
    assertThatThrownBy(() -> config(Map.of("GANTRY_TOKEN", "tiny-secret"), "--config", yml.toString()))
        .isInstanceOf(UserError.class).hasMessageContaining("$GANTRY_TOKEN").hasMessageNotContaining("tiny-secret");
  }

  @Test
  void aBadFlagValueIsAUsageErrorNamingTheFlagAndItsSetting() throws Exception {
    Path yml = yml("{}\n");
    assertThatThrownBy(() -> config(Map.of(), "--config", yml.toString(), "--tcp-port", "70000"))
        .isInstanceOf(ParameterException.class)
        .hasMessage("--tcp-port: '70000' is not a port in 0..65535 or -1 (setting monitor.tcp-port)");
    assertThatThrownBy(() -> config(Map.of(), "--config", yml.toString(), "--http-port", "-2"))
        .isInstanceOf(ParameterException.class).hasMessageContaining("(setting server.port)");
  }

  @Test
  void tlsNeedsItsPortCertificateAndKeyTogether() throws Exception {
    Config c = config(Map.of(), "--config", yml("{}\n").toString(), "--tls-port", "5554", "--tls-cert", "server.crt");
    assertThatThrownBy(() -> MonitorConfig.settings(c)).isInstanceOf(UserError.class)
        .hasMessage("TLS needs monitor.tls-port, monitor.tls-cert and monitor.tls-key together: "
            + "monitor.tls-key is not set");
  }
}

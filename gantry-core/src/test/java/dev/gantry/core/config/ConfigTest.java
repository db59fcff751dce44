package dev.gantry.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  enum Mode { FAST, VERY_SAFE }

  static final Setting<Integer> PORT = Setting.port("server.port", 8080, "HTTP port");
  static final Setting<String> HOST = Setting.string("server.bind-address", "127.0.0.1", "address to listen on");
  static final Setting<Boolean> COLOR = Setting.bool("ui.color", true, "colour output");
  static final Setting<Duration> TTL = Setting.duration("monitor.default-ttl", Duration.ofSeconds(60), "event ttl");
  static final Setting<Path> DATA = Setting.path("data.dir", Path.of("gantry-data"), "data folder");
  static final Setting<Secret> TOKEN = Setting.secret("server.admin-token", "admin token");
  static final Setting<Mode> MODE = Setting.enumeration("ci.mode", Mode.class, Mode.FAST, "queue mode");
  static final Setting<List<String>> AGENTS = Setting.list("ci.agents", List.of(), "agent names");
  static final Setting<Integer> WORKERS = Setting.integer("ci.workers", 2, "parallel steps")
      .check(n -> n > 0, "a positive number");

  static final Settings SETTINGS = Settings.of(PORT, HOST, COLOR, TTL, DATA, TOKEN, MODE, AGENTS, WORKERS);

  @TempDir Path tmp;

  private Path yaml(String text) throws IOException {
    return Files.writeString(tmp.resolve("gantry.yml"), text);
  }

  @Test
  void defaultsWhenNothingIsGiven() {
    Config c = Config.defaults(SETTINGS);
    assertThat(c.get(PORT)).isEqualTo(8080);
    assertThat(c.get(TTL)).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.find(TOKEN)).isEmpty();
    assertThat(c.sourceOf(PORT)).isEqualTo(Config.Source.DEFAULT);
    assertThat(c.sourceOf(TOKEN)).isEqualTo(Config.Source.UNSET);
    assertThatThrownBy(() -> c.get(TOKEN)).isInstanceOf(UserError.class)
        .hasMessageContaining("server.admin-token").hasMessageContaining("GANTRY_SERVER_ADMIN_TOKEN");
  }

  @Test
  void precedenceIsFlagThenEnvironmentThenFileThenDefault() throws IOException {
    Path file = yaml("""
        server:
          port: 7000
          bind-address: 0.0.0.0
        ui.color: false
        """);
    Map<String, String> env = Map.of("GANTRY_SERVER_PORT", "7100", "GANTRY_SERVER_BIND_ADDRESS", "10.0.0.1");
    Map<String, String> flags = Map.of("server.port", "7200");

    Config all = Config.builder(SETTINGS).flags(flags).environment(env).file(file).build();
    assertThat(all.get(PORT)).isEqualTo(7200);
    assertThat(all.sourceOf(PORT)).isEqualTo(Config.Source.FLAG);
    assertThat(all.get(HOST)).isEqualTo("10.0.0.1");
    assertThat(all.sourceOf(HOST)).isEqualTo(Config.Source.ENVIRONMENT);
    assertThat(all.get(COLOR)).isFalse();
    assertThat(all.sourceOf(COLOR)).isEqualTo(Config.Source.FILE);
    assertThat(all.get(TTL)).isEqualTo(Duration.ofSeconds(60));
    assertThat(all.sourceOf(TTL)).isEqualTo(Config.Source.DEFAULT);

    Config noFlags = Config.builder(SETTINGS).environment(env).file(file).build();
    assertThat(noFlags.get(PORT)).isEqualTo(7100);

    Config fileOnly = Config.builder(SETTINGS).file(file).build();
    assertThat(fileOnly.get(PORT)).isEqualTo(7000);
    assertThat(fileOnly.get(HOST)).isEqualTo("0.0.0.0");
  }

  @Test
  void everyTypeIsRead() throws IOException {
    Path file = yaml("""
        monitor:
          default-ttl: 1h30m
        data:
          dir: ~/gantry
        ci:
          mode: very-safe
          agents: [linux-1, "linux 2, the big one"]
        """);
    Config c = Config.builder(SETTINGS).file(file)
        .environment(Map.of("GANTRY_UI_COLOR", "no", "GANTRY_SERVER_ADMIN_TOKEN", "s3cr3t"))
        .flag("ci.workers", "8")
        .build();
    assertThat(c.get(TTL)).isEqualTo(Duration.ofMinutes(90));
    assertThat(c.get(DATA)).isEqualTo(Path.of(System.getProperty("user.home"), "gantry"));
    assertThat(c.get(MODE)).isEqualTo(Mode.VERY_SAFE);
    assertThat(c.get(AGENTS)).containsExactly("linux-1", "linux 2, the big one");
    assertThat(c.get(COLOR)).isFalse();
    assertThat(c.get(TOKEN).reveal()).isEqualTo("s3cr3t");
    assertThat(c.get(WORKERS)).isEqualTo(8);

    Config fromEnv = Config.builder(SETTINGS).environment(Map.of("GANTRY_CI_AGENTS", "a, b,c")).build();
    assertThat(fromEnv.get(AGENTS)).containsExactly("a", "b", "c");
  }

  @Test
  void anUnknownKeyInTheFileIsNamedWithTheFileAndASuggestion() throws IOException {
    Path file = yaml("""
        server:
          prot: 9000
        """);
    assertThatThrownBy(() -> Config.builder(SETTINGS).file(file).build())
        .isInstanceOf(UserError.class)
        .hasMessage(file + ":2: unknown key 'server.prot' (did you mean 'server.port'?)");
  }

  @Test
  void anUnknownKeyFarFromAnyIsNamedWithoutSuggestion() throws IOException {
    Path file = yaml("completely: different\n");
    assertThatThrownBy(() -> Config.builder(SETTINGS).file(file).build())
        .isInstanceOf(UserError.class)
        .hasMessage(file + ":1: unknown key 'completely'");
  }

  @Test
  void anUnknownFlagIsAnError() {
    assertThatThrownBy(() -> Config.builder(SETTINGS).flag("server.portt", "1").build())
        .isInstanceOf(UserError.class)
        .hasMessageContaining("unknown setting 'server.portt' on the command line (did you mean 'server.port'?)");
  }

  @Test
  void unknownGantryEnvironmentVariablesAreIgnored() {
    Config c = Config.builder(SETTINGS)
        .environment(Map.of("GANTRY_JAVA", "/opt/jdk", "GANTRY_SERVER_PROT", "1", "GANTRY_SERVER_PORT", "9001"))
        .build();
    assertThat(c.get(PORT)).isEqualTo(9001);
  }

  @Test
  void aBadValueNamesKeySourceAndExpectedTypeForEachType() throws IOException {
    assertBad(Map.of("server.port", "eighty"), Map.of(), null,
        "bad value for 'server.port' on the command line: expected a port number from 0 to 65535, got 'eighty'");
    assertBad(Map.of(), Map.of("GANTRY_SERVER_PORT", "70000"), null,
        "bad value for 'server.port' in the environment variable GANTRY_SERVER_PORT: expected a port number from 0 to 65535, got '70000'");
    assertBad(Map.of("ci.workers", "0"), Map.of(), null, "expected a positive number, got '0'");
    assertBad(Map.of("ui.color", "maybe"), Map.of(), null, "'ui.color' on the command line: expected true or false, got 'maybe'");
    assertBad(Map.of(), Map.of("GANTRY_MONITOR_DEFAULT_TTL", "60"), null,
        "'monitor.default-ttl' in the environment variable GANTRY_MONITOR_DEFAULT_TTL: expected a duration like 500ms, 30s, 5m, 2h, 1d or 1h30m, got '60'");
    assertBad(Map.of("data.dir", " "), Map.of(), null, "'data.dir' on the command line: expected a path");
    assertBad(Map.of("ci.mode", "slow"), Map.of(), null, "expected one of fast, very-safe, got 'slow'");
    assertBad(Map.of(), Map.of(), "ci:\n  workers: [1, 2]\n", ":2: bad value for 'ci.workers': expected a positive number, got a list");
    assertBad(Map.of(), Map.of(), "server:\n  port: 80x\n", "gantry.yml:2: bad value for 'server.port': expected a port number from 0 to 65535, got '80x'");
  }

  @Test
  void aBadSecretIsReportedWithoutItsValue() {
    assertThatThrownBy(() -> Config.builder(SETTINGS).flag("server.admin-token", "").build())
        .isInstanceOf(UserError.class)
        .hasMessage("bad value for 'server.admin-token' on the command line: expected a non-empty secret");
  }

  @Test
  void aBadValueIsReportedEvenWhenAHigherSourceOverridesIt() {
    assertThatThrownBy(() -> Config.builder(SETTINGS).flag("server.port", "1")
        .environment(Map.of("GANTRY_SERVER_PORT", "x")).build())
        .isInstanceOf(UserError.class)
        .hasMessageContaining("GANTRY_SERVER_PORT");
  }

  @Test
  void allProblemsAreReportedTogether() throws IOException {
    Path file = yaml("server:\n  prot: 1\n  port: no\n");
    assertThatThrownBy(() -> Config.builder(SETTINGS).file(file).flag("ui.color", "x").build())
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith("3 problems in the configuration:")
        .hasMessageContaining("unknown key 'server.prot'")
        .hasMessageContaining(":3: bad value for 'server.port'")
        .hasMessageContaining("'ui.color'");
  }

  @Test
  void secretsAreRedactedInDescribeAndToString() {
    Config c = Config.builder(SETTINGS).environment(Map.of("GANTRY_SERVER_ADMIN_TOKEN", "hunter2-token")).build();
    assertThat(c.toString()).doesNotContain("hunter2").contains("server.admin-token = ******  (GANTRY_SERVER_ADMIN_TOKEN)");
    assertThat(c.describe()).noneMatch(e -> e.toString().contains("hunter2"));
    assertThat(c.get(TOKEN).toString()).isEqualTo("******");
    assertThat(String.valueOf(c.get(TOKEN))).doesNotContain("hunter2");
    assertThat(c.toString()).contains("server.port = 8080  (default)").contains("monitor.default-ttl = 1m  (default)");
  }

  @Test
  void aFileThatIsNotYamlNamesFileAndLine() throws IOException {
    Path file = yaml("server:\n  port: 1\n   bad: [\n");
    assertThatThrownBy(() -> Config.builder(SETTINGS).file(file).build())
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith(file + ":3:");
  }

  @Test
  void aFileWhoseTopIsNotAMapIsRefused() throws IOException {
    Path file = yaml("- just\n- a list\n");
    assertThatThrownBy(() -> Config.builder(SETTINGS).file(file).build())
        .isInstanceOf(UserError.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("map of settings");
  }

  @Test
  void aKeySetTwiceIsRefused() throws IOException {
    Path file = yaml("server.port: 1\nserver:\n  port: 2\n");
    assertThatThrownBy(() -> Config.builder(SETTINGS).file(file).build())
        .isInstanceOf(UserError.class)
        .hasMessage(file + ":3: 'server.port' is already set on line 1");
    Path dup = yaml("ui.color: true\nui.color: false\n");
    assertThatThrownBy(() -> Config.builder(SETTINGS).file(dup).build())
        .isInstanceOf(UserError.class)
        .hasMessageContaining("ui.color");
  }

  @Test
  void anEmptyFileOrAnEmptyValueSetsNothing() throws IOException {
    assertThat(Config.builder(SETTINGS).file(yaml("")).build().get(PORT)).isEqualTo(8080);
    assertThat(Config.builder(SETTINGS).file(yaml("server:\n  port:\n")).build().get(PORT)).isEqualTo(8080);
  }

  @Test
  void aMissingFileIsFineUnlessRequired() {
    Path missing = tmp.resolve("nope.yml");
    assertThat(Config.builder(SETTINGS).file(missing).build().get(PORT)).isEqualTo(8080);
    assertThatThrownBy(() -> Config.builder(SETTINGS).requireFile(missing).build())
        .isInstanceOf(UserError.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void aSettingFromElsewhereIsAProgrammingError() {
    Setting<Integer> stranger = Setting.integer("other.value", 1, "not registered");
    assertThatThrownBy(() -> Config.defaults(SETTINGS).get(stranger)).isInstanceOf(IllegalArgumentException.class);
  }

  private void assertBad(Map<String, String> flags, Map<String, String> env, String file, String message)
      throws IOException {
    Config.Builder b = Config.builder(SETTINGS).flags(flags).environment(env);
    if (file != null) {
      b.file(yaml(file));
    }
    assertThatThrownBy(b::build).isInstanceOf(UserError.class).hasMessageContaining(message);
  }
}

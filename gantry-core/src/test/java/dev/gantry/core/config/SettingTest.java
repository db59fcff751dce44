package dev.gantry.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingTest {

  @Test
  void environmentNameFollowsTheKey() {
    assertThat(Setting.port("monitor.tcp-port", 5555, "x").envName()).isEqualTo("GANTRY_MONITOR_TCP_PORT");
  }

  @Test
  void keysMustBeDottedLowerCaseWords() {
    assertThatThrownBy(() -> Setting.string("Server Port", "", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Setting.string("server..port", "", "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDefaultMustPassTheCheck() {
    assertThatThrownBy(() -> Setting.port("p", 70000, "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void settingsRefuseDuplicatesAndCollidingVariables() {
    assertThatThrownBy(() -> Settings.of(Setting.string("a.b", "", "x"), Setting.string("a.b", "", "y")))
        .hasMessageContaining("a.b");
    assertThatThrownBy(() -> Settings.of(Setting.string("a.b-c", "", "x"), Setting.string("a.b.c", "", "y")))
        .hasMessageContaining("GANTRY_A_B_C");
  }

  @Test
  void settingsCombine() {
    Settings s = Settings.of(Setting.string("a", "", "x")).plus(Settings.of(Setting.string("b", "", "y")));
    assertThat(s.all()).extracting(Setting::key).containsExactly("a", "b");
    assertThat(s.suggest("bb")).contains("b");
  }

  @Test
  void durationsParseAndFormat() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("1d2h3m4s")).isEqualTo(Duration.parse("P1DT2H3M4S"));
    assertThat(Durations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThatThrownBy(() -> Durations.parse("5 minutes")).hasMessageContaining("30s");
    assertThatThrownBy(() -> Durations.parse("10")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void secretsCompareWithoutShowing() {
    Secret s = Secret.of("abc");
    assertThat(s.matches("abc")).isTrue();
    assertThat(s.matches("abd")).isFalse();
    assertThat(s.matches(null)).isFalse();
    assertThat(s).hasToString("******").isEqualTo(Secret.of("abc"));
  }
}

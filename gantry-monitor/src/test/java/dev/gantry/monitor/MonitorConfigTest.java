package dev.gantry.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.config.Config;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitorConfigTest {
  @Test
  void settingsComeFromTheEnvironmentAndFlags() {
    Config c = Config.builder(MonitorConfig.SETTINGS)
        .environment(Map.of("GANTRY_MONITOR_TCP_PORT", "6000", "GANTRY_MONITOR_DEFAULT_TTL", "2m"))
        .flags(Map.of("monitor.udp-port", "-1"))
        .build();
    MonitorSettings s = MonitorConfig.settings(c);
    assertThat(s.tcpPort()).isEqualTo(6000);
    assertThat(s.udpPort()).isEqualTo(-1);
    assertThat(s.defaultTtl()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.bind()).isEqualTo("127.0.0.1");
    assertThat(s.builtinRules()).isTrue();
  }

  @Test
  void badValuesAreUserErrors() {
    assertThatThrownBy(() -> Config.builder(MonitorConfig.SETTINGS).flags(Map.of("monitor.tcp-port", "70000")).build())
        .isInstanceOf(UserError.class).hasMessageContaining("monitor.tcp-port");
    Config tlsWithoutCert = Config.builder(MonitorConfig.SETTINGS).flags(Map.of("monitor.tls-port", "5554")).build();
    assertThatThrownBy(() -> MonitorConfig.settings(tlsWithoutCert)).isInstanceOf(UserError.class)
        .hasMessageContaining("monitor.tls-cert");
  }
}

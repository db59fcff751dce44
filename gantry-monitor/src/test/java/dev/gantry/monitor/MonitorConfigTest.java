package dev.gantry.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.config.Config;
import dev.gantry.monitor.history.HistoryLimits;
import java.nio.file.Path;
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
  void plainTcpOnAnAddressOthersReachIsRefusedUnlessAskedFor() {
    Config exposed = Config.builder(MonitorConfig.SETTINGS).flags(Map.of("monitor.bind", "0.0.0.0")).build();
    assertThatThrownBy(() -> MonitorConfig.settings(exposed)).isInstanceOf(UserError.class)
        .hasMessageContaining("monitor.bind 0.0.0.0 can be reached from other machines")
        .hasMessageContaining("monitor.tls-port").hasMessageContaining("monitor.insecure-tcp: true");
    assertThat(MonitorConfig.settings(Config.builder(MonitorConfig.SETTINGS)
        .flags(Map.of("monitor.bind", "0.0.0.0", "monitor.insecure-tcp", "true")).build()).bind()).isEqualTo("0.0.0.0");
    assertThat(MonitorConfig.settings(Config.builder(MonitorConfig.SETTINGS)
        .flags(Map.of("monitor.bind", "0.0.0.0", "monitor.tcp-port", "-1")).build()).tcpPort()).isEqualTo(-1);
    assertThat(MonitorConfig.settings(Config.builder(MonitorConfig.SETTINGS).build()).bind()).isEqualTo("127.0.0.1");
  }

  @Test
  void badValuesAreUserErrors() {
    assertThatThrownBy(() -> Config.builder(MonitorConfig.SETTINGS).flags(Map.of("monitor.tcp-port", "70000")).build())
        .isInstanceOf(UserError.class).hasMessageContaining("monitor.tcp-port");
    Config tlsWithoutCert = Config.builder(MonitorConfig.SETTINGS).flags(Map.of("monitor.tls-port", "5554")).build();
    assertThatThrownBy(() -> MonitorConfig.settings(tlsWithoutCert)).isInstanceOf(UserError.class)
        .hasMessageContaining("monitor.tls-cert");
  }

  @Test
  void historyLimitsComeFromTheSettingsAndRefuseNonsense() {
    MonitorSettings defaults = MonitorConfig.settings(Config.defaults(MonitorConfig.SETTINGS));
    assertThat(defaults.history()).isEqualTo(new HistoryLimits(Duration.ofHours(1), 720, 4_000));
    MonitorSettings s = MonitorConfig.settings(Config.builder(MonitorConfig.SETTINGS)
        .environment(Map.of("GANTRY_MONITOR_HISTORY_WINDOW", "30m", "GANTRY_MONITOR_HISTORY_POINTS", "3600"))
        .flags(Map.of("monitor.history-series", "100")).build());
    assertThat(s.history()).isEqualTo(new HistoryLimits(Duration.ofMinutes(30), 3600, 100));
    assertThatThrownBy(() -> Config.builder(MonitorConfig.SETTINGS).flags(Map.of("monitor.history-points", "1")).build())
        .isInstanceOf(UserError.class).hasMessageContaining("monitor.history-points").hasMessageContaining("at least 2");
    assertThatThrownBy(() -> Config.builder(MonitorConfig.SETTINGS).flags(Map.of("monitor.history-series", "0")).build())
        .isInstanceOf(UserError.class).hasMessageContaining("monitor.history-series").hasMessageContaining("at least 1");
    assertThatThrownBy(() -> Config.builder(MonitorConfig.SETTINGS).flags(Map.of("monitor.history-window", "0s")).build())
        .isInstanceOf(UserError.class).hasMessageContaining("monitor.history-window");
  }

  @Test
  void tlsIsConfiguredWholeOrNotAtAll() {
    MonitorSettings none = MonitorConfig.settings(Config.defaults(MonitorConfig.SETTINGS));
    assertThat(none.tlsPort()).isEqualTo(-1);
    assertThat(none.tls()).isNull();
    MonitorSettings tls = MonitorConfig.settings(tls(Map.of("monitor.tls-port", "5554", "monitor.tls-cert", "s.crt",
        "monitor.tls-key", "s.key", "monitor.tls-client-ca", "ca.crt")));
    assertThat(tls.tlsPort()).isEqualTo(5554);
    assertThat(tls.tls().certificate()).isEqualTo(Path.of("s.crt"));
    assertThat(tls.tls().clientCa()).isEqualTo(Path.of("ca.crt"));
    // a certificate and key without a port used to be dropped without a word
    assertThatThrownBy(() -> MonitorConfig.settings(tls(Map.of("monitor.tls-cert", "s.crt", "monitor.tls-key", "s.key"))))
        .isInstanceOf(UserError.class).hasMessageEndingWith("together: monitor.tls-port is not set");
    assertThatThrownBy(() -> MonitorConfig.settings(tls(Map.of("monitor.tls-cert", "s.crt"))))
        .isInstanceOf(UserError.class).hasMessageEndingWith("monitor.tls-port and monitor.tls-key are not set");
    assertThatThrownBy(() -> MonitorConfig.settings(tls(Map.of("monitor.tls-client-ca", "ca.crt"))))
        .isInstanceOf(UserError.class).hasMessageContaining("TLS needs monitor.tls-port, monitor.tls-cert and monitor.tls-key");
  }

  static Config tls(Map<String, String> flags) {
    return Config.builder(MonitorConfig.SETTINGS).flags(flags).build();
  }
}

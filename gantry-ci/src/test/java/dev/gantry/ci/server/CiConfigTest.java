package dev.gantry.ci.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.config.Config;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CiConfigTest {
  @Test
  void settingsComeFromTheEnvironmentAndMissingOnesAreNamed() {
    Config c = Config.builder(CiConfig.settings()).environment(Map.of(
        "GANTRY_CI_REPOSITORY", "/srv/git/app.git",
        "GANTRY_CI_HOOK_SECRET", "hook-secret-0123456789",
        "GANTRY_CI_AGENT_TOKEN", "agent-token-0123456789",
        "GANTRY_CI_MAX_BATCH", "3",
        "GANTRY_CI_POLL_INTERVAL", "0s",
        "GANTRY_CI_UNSCHEDULABLE_TIMEOUT", "90s")).build();
    CiSettings s = CiConfig.settings(c, "http://127.0.0.1:8080/");
    assertThat(s.repository()).isEqualTo("/srv/git/app.git");
    assertThat(s.maxWindow()).isEqualTo(8);
    assertThat(s.maxBatch()).isEqualTo(3);
    assertThat(s.pollInterval()).isEqualTo(Duration.ZERO);
    assertThat(s.unschedulableTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(CiSettings.defaults("/x", null, "hook-secret-0123456789", "agent-token-0123456789").unschedulableTimeout())
        .isEqualTo(Duration.ofMinutes(10));
    assertThatThrownBy(() -> Config.builder(CiConfig.settings()).environment(Map.of("GANTRY_CI_UNSCHEDULABLE_TIMEOUT", "0s")).build())
        .hasMessageContaining("ci.unschedulable-timeout").hasMessageContaining("'0s'");
    assertThatThrownBy(() -> Config.builder(CiConfig.settings()).environment(Map.of("GANTRY_CI_UNSCHEDULABLE_TIMEOUT", "soon")).build())
        .hasMessageContaining("ci.unschedulable-timeout").hasMessageContaining("'soon'");
    assertThat(s.publicUrl()).isEqualTo("http://127.0.0.1:8080");
    assertThat(s.toString()).doesNotContain("hook-secret").doesNotContain("agent-token");
    Config missing = Config.builder(CiConfig.settings()).environment(Map.of("GANTRY_CI_REPOSITORY", "/x")).build();
    assertThatThrownBy(() -> CiConfig.settings(missing, "http://x")).hasMessageContaining("ci.hook-secret is not set");
    Config weak = Config.builder(CiConfig.settings()).environment(Map.of("GANTRY_CI_REPOSITORY", "/x",
        "GANTRY_CI_HOOK_SECRET", "short", "GANTRY_CI_AGENT_TOKEN", "agent-token-0123456789")).build();
    assertThatThrownBy(() -> CiConfig.settings(weak, "http://x")).hasMessageContaining("ci.hook-secret: needs at least 16 characters");
    }

  @Test
  void theWindowIsSetAndAWindowBelowOneIsRefusedByName() {
    Config c = Config.builder(CiConfig.settings()).environment(Map.of("GANTRY_CI_REPOSITORY", "/x", "GANTRY_CI_HOOK_SECRET", "hook-secret-0123456789",
        "GANTRY_CI_AGENT_TOKEN", "agent-token-0123456789", "GANTRY_CI_MAX_WINDOW", "3")).build();
    assertThat(CiConfig.settings(c, "http://x").maxWindow()).isEqualTo(3);
    assertThatThrownBy(() -> Config.builder(CiConfig.settings()).environment(Map.of("GANTRY_CI_MAX_WINDOW", "0")).build())
        .hasMessageContaining("ci.max-window").hasMessageContaining("'0'");
    assertThatThrownBy(() -> Config.builder(CiConfig.settings()).environment(Map.of("GANTRY_CI_MAX_WINDOW", "many")).build())
        .hasMessageContaining("ci.max-window").hasMessageContaining("'many'");
    CiSettings d = CiSettings.defaults("/x", null, "hook-secret-0123456789", "agent-token-0123456789");
    assertThatThrownBy(() -> d.withMaxWindow(0)).hasMessageContaining("ci.max-window: must be at least 1, got 0");
  }
}

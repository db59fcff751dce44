package dev.gantry.ci.agent;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {
  static AgentSettings of(String server, String token, String name, List<String> caps, int slots) {
    return new AgentSettings(URI.create(server), token, name, caps, slots, Path.of("/tmp/w"), Duration.ofSeconds(1));
  }

  @Test
  void badSettingsAreRefusedNamingTheFlag() {
    assertThatThrownBy(() -> of("ftp://x", "t", "a", List.of(), 1)).hasMessageContaining("--server");
    assertThatThrownBy(() -> of("http://x", "", "a", List.of(), 1)).hasMessageContaining("--token");
    assertThatThrownBy(() -> of("http://x", "t", "a b", List.of(), 1)).hasMessageContaining("--name");
    assertThatThrownBy(() -> of("http://x", "t", "a", List.of(), 0)).hasMessageContaining("--slots");
    assertThatThrownBy(() -> of("http://x", "t", "a", List.of("do cker"), 1)).hasMessageContaining("--capabilities");
  }
}

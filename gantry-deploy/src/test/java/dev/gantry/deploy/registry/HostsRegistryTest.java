package dev.gantry.deploy.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostsRegistryTest {
  @TempDir Path dir;

  @Test
  void aDeployKeepsWhatProvisioningRecorded() throws Exception {
    Path file = dir.resolve("hosts.yml");
    Files.writeString(file, "hosts:\n  web1:\n    role: production\n    address: 10.213.0.2\n    provider: lab\n");
    HostsRegistry reg = HostsRegistry.read(file).with("web1", null, null, "shop",
        new HostsRegistry.SystemEntry("A", Map.of("app", "A"), "compose", "2026-11-26T00:00:00Z", "ops", 1, null));
    reg.write(file);
    String text = Files.readString(file);
    assertThat(text).contains("provider: lab").contains("address: 10.213.0.2").contains("role: production")
        .contains("release: A");
    assertThat(HostsRegistry.read(file).hosts().get("web1").provider()).isEqualTo("lab");
  }
}

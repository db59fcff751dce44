package dev.gantry.host.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.infra.HostSpec;
import dev.gantry.core.infra.Infrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a spin connects: the definition's address, else the one recorded in hosts.yml, else the
 * name (reading the registry and the rule itself: core's {@code HostsRegistryTest}).
 */
class RecordedAddressesTest {
  @TempDir
  Path repo;

  private final Infrastructure infra = new Infrastructure();

  @Test
  void aHostWithoutAnAddressIsReachedAtTheRecordedOne() throws Exception {
    Files.writeString(repo.resolve("hosts.yml"), "hosts:\n  try1:\n    address: 10.213.4.2\n    provider: lab\n");
    HostSpec spec = infra.host("try1").user("deploy").sshPort(2222);
    SshEndpoint ep = RecordedAddresses.read(repo).endpoint(spec);
    assertThat(ep).isEqualTo(new SshEndpoint("10.213.4.2", 2222, "deploy"));
  }

  @Test
  void anAddressInTheDefinitionWinsOverTheRecordedOne() throws Exception {
    Files.writeString(repo.resolve("hosts.yml"), "hosts:\n  web1:\n    address: 203.0.113.9\n");
    HostSpec spec = infra.host("web1").address("203.0.113.7").sshPort(2222);
    assertThat(RecordedAddresses.read(repo).endpoint(spec)).isEqualTo(new SshEndpoint("203.0.113.7", 2222, "root"));
  }

  @Test
  void withoutARegistryTheNameIsTheAddress() {
    HostSpec spec = infra.host("ci.example.com");
    assertThat(RecordedAddresses.read(repo).endpoint(spec)).isEqualTo(new SshEndpoint("ci.example.com", 22, "root"));
  }
}

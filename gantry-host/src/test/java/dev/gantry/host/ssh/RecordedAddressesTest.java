package dev.gantry.host.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.HostSpec;
import dev.gantry.core.infra.Infrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a spin connects: the definition's address, else the one recorded in hosts.yml, else the name. */
class RecordedAddressesTest {
  @TempDir
  Path repo;

  private final Infrastructure infra = new Infrastructure();

  private void registry(String yaml) throws Exception {
    Files.writeString(repo.resolve("hosts.yml"), yaml);
  }

  @Test
  void aHostWithoutAnAddressIsReachedAtTheRecordedOne() throws Exception {
    registry("""
        # What runs where.
        hosts:
          try1:
            role: staging
            address: 10.213.4.2
            provider: lab
            systems: {}
        """);
    HostSpec spec = infra.host("try1").user("deploy").sshPort(2222);
    SshEndpoint ep = RecordedAddresses.read(repo).endpoint(spec);
    assertThat(ep).isEqualTo(new SshEndpoint("10.213.4.2", 2222, "deploy"));
  }

  @Test
  void anAddressInTheDefinitionWinsOverTheRecordedOne() throws Exception {
    registry("hosts:\n  web1:\n    address: 203.0.113.9\n");
    HostSpec spec = infra.host("web1").address("203.0.113.7");
    assertThat(RecordedAddresses.read(repo).addressOf(spec)).isEqualTo("203.0.113.7");
  }

  @Test
  void withoutARecordTheNameIsTheAddress() throws Exception {
    HostSpec spec = infra.host("ci.example.com");
    assertThat(RecordedAddresses.read(repo).addressOf(spec)).as("no hosts.yml").isEqualTo("ci.example.com");
    registry("hosts:\n  other:\n    address: 10.0.0.1\n  ci.example.com:\n    role: ci\n    address:\n");
    assertThat(RecordedAddresses.read(repo).addressOf(spec)).as("not recorded").isEqualTo("ci.example.com");
    registry("# nothing yet\n");
    assertThat(RecordedAddresses.read(repo).addressOf(spec)).as("empty file").isEqualTo("ci.example.com");
    registry("hosts:\n");
    assertThat(RecordedAddresses.read(repo).addressOf(spec)).as("no hosts").isEqualTo("ci.example.com");
  }

  @Test
  void aBrokenRegistryIsAClearErrorNamingTheFile() throws Exception {
    Path file = repo.resolve("hosts.yml");
    registry("hosts:\n  web1:\n    address: [10.0.0.1\n");
    assertThatThrownBy(() -> RecordedAddresses.read(repo)).isInstanceOf(UserError.class)
        .hasMessageStartingWith(file + ": not a hosts registry: ");
    registry("- web1\n- web2\n");
    assertThatThrownBy(() -> RecordedAddresses.read(repo)).isInstanceOf(UserError.class)
        .hasMessage(file + ": not a hosts registry (expected a 'hosts:' mapping of host names)");
    registry("hosts: [web1]\n");
    assertThatThrownBy(() -> RecordedAddresses.read(repo)).isInstanceOf(UserError.class)
        .hasMessage(file + ": not a hosts registry (expected a 'hosts:' mapping of host names)");
    registry("hosts:\n  web1:\n    address: {ip: 10.0.0.1}\n");
    assertThatThrownBy(() -> RecordedAddresses.read(repo)).isInstanceOf(UserError.class)
        .hasMessage(file + ": hosts.web1.address must be a host name or IP address, not a mapping");
    registry("hosts:\n  web1:\n    address: ''\n");
    assertThatThrownBy(() -> RecordedAddresses.read(repo)).isInstanceOf(UserError.class)
        .hasMessage(file + ": hosts.web1.address must be a host name or IP address, not ''");
  }
}

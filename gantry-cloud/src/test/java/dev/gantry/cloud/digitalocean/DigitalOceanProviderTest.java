package dev.gantry.cloud.digitalocean;

import static dev.gantry.cloud.Cloud.digitalOcean;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.cloud.digitalocean.fake.FakeDigitalOcean;
import dev.gantry.cloud.digitalocean.http.ApiToken;
import dev.gantry.cloud.provider.Machine;
import dev.gantry.cloud.ssh.SshProbe;
import dev.gantry.core.UserError;
import dev.gantry.core.infra.Infrastructure;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DigitalOcean provider: one droplet per host, nothing half-made left when a create fails. */
class DigitalOceanProviderTest {
  private FakeDigitalOcean fake;
  private DigitalOceanProvider provider;
  private final Infrastructure infra = new Infrastructure();
  private final List<String> progress = new ArrayList<>();

  @BeforeEach
  void start() {
    fake = FakeDigitalOcean.start();
    VirtualTime time = new VirtualTime();
    DigitalOceanClient client = DigitalOceanClient.builder().baseUri(fake.uri()).token(ApiToken.of(fake.token(), "t"))
        .sleeper(time).clock(time).pollEvery(Duration.ofSeconds(5)).build();
    provider = new DigitalOceanProvider(client, digitalOcean().region("sgp1").size("s-1vcpu-1gb").image("debian-12-x64"),
        Duration.ofMinutes(2), new SshProbe(), InstantSource.system(), Duration.ofMillis(10));
    infra.host("web1").user("deploy").provisionedBy(digitalOcean());
  }

  @AfterEach
  void conformsToTheSpec() {
    try {
      assertThat(fake.violations()).isEmpty();
    } finally {
      fake.close();
    }
  }

  @Test
  void createsWaitsForTheCreateActionAndFindsByName() {
    fake.api().pollsPerAction(3);
    Machine m = provider.create(infra.requireHost("web1"), progress::add);

    assertThat(m.status()).isEqualTo("active");
    assertThat(m.address()).contains("127.0.0.1");
    assertThat(progress).anyMatch(l -> l.matches("droplet web1: create \\d+: in-progress \\(\\d+ s\\)"))
        .anyMatch(l -> l.matches("droplet web1: create \\d+: completed \\(\\d+ s\\)"));
    assertThat(provider.find("web1")).get().extracting(Machine::id).isEqualTo(m.id());
    assertThat(provider.find("web2")).isEmpty();
    // a non-root user is made by cloud-init at first boot
    assertThat(fake.exchanges("POST", "/v2/droplets").get(0).body().get("user_data").asText())
        .startsWith("#cloud-config\n").contains("name: deploy", "NOPASSWD:ALL");
    assertThatThrownBy(() -> provider.create(infra.requireHost("web1"), progress::add))
        .isInstanceOf(UserError.class).hasMessageStartingWith("a droplet called 'web1' exists already (id " + m.id() + ")");
    assertThat(provider.destroy("web1", progress::add)).isTrue();
    assertThat(provider.destroy("web1", progress::add)).isFalse();
  }

  @Test
  void aCreateWhoseActionErrorsLeavesNoDroplet() {
    fake.api().actionsError();
    assertThatThrownBy(() -> provider.create(infra.requireHost("web1"), progress::add))
        .isInstanceOf(UserError.class)
        .hasMessageMatching("DigitalOcean: create \\(action \\d+\\) on droplet \\d+ errored");
    assertThat(fake.api().dropletCount()).isZero();
    assertThat(progress).anyMatch(l -> l.startsWith("droplet web1 did not come up; deleting it"));
  }

  @Test
  void aCreateThatOutlastsTheTimeoutLeavesNoDroplet() {
    fake.api().pollsPerAction(1000);
    assertThatThrownBy(() -> provider.create(infra.requireHost("web1"), progress::add))
        .hasMessageContaining("is still in-progress after 120 s");
    assertThat(fake.api().dropletCount()).isZero();
  }

  @Test
  void reportsHowAnExistingDropletDiffersFromTheDefinition() {
    fake.api().seedNamed("web1");
    DigitalOceanProvider elsewhere = new DigitalOceanProvider(DigitalOceanClient.builder().baseUri(fake.uri())
        .token(ApiToken.of(fake.token(), "t")).build(), digitalOcean().region("nyc3").size("s-2vcpu-2gb").image("debian-12-x64"));
    assertThat(elsewhere.drift(elsewhere.find("web1").orElseThrow()))
        .containsExactly("region is sgp1, the definition says nyc3", "size is s-1vcpu-1gb, the definition says s-2vcpu-2gb");
  }
}

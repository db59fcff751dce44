package dev.gantry.cloud.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.cloud.digitalocean.fake.FakeDigitalOcean;
import dev.gantry.cloud.digitalocean.http.ApiToken;
import dev.gantry.cloud.digitalocean.http.DigitalOceanException;
import dev.gantry.cloud.digitalocean.model.Domain;
import dev.gantry.cloud.digitalocean.model.DomainRecord;
import dev.gantry.cloud.digitalocean.model.Firewall;
import dev.gantry.cloud.digitalocean.model.Firewall.InboundRule;
import dev.gantry.cloud.digitalocean.model.Firewall.OutboundRule;
import dev.gantry.cloud.digitalocean.model.Firewall.Targets;
import dev.gantry.cloud.digitalocean.model.Image;
import dev.gantry.cloud.digitalocean.model.Region;
import dev.gantry.cloud.digitalocean.model.ReservedIp;
import dev.gantry.cloud.digitalocean.model.Size;
import dev.gantry.cloud.digitalocean.model.SshKey;
import dev.gantry.cloud.digitalocean.model.Tag;
import dev.gantry.cloud.digitalocean.model.Volume;
import dev.gantry.cloud.digitalocean.model.VolumeRequest;
import dev.gantry.core.UserError;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys, catalogue, tags, volumes, firewalls, DNS and reserved IPs against the spec-checked local API. */
class ResourcesTest {
  private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ0ZXN0a2V5Zm9yZ2FudHJ5Y2xvdWR0ZXN0c29ubHk= me@laptop";
  private FakeDigitalOcean fake;
  private DigitalOceanClient client;

  @BeforeEach
  void start() {
    fake = FakeDigitalOcean.start();
    VirtualTime time = new VirtualTime();
    client = DigitalOceanClient.builder().baseUri(fake.uri()).token(ApiToken.of(fake.token(), "test"))
        .sleeper(time).clock(time).build();
  }

  @AfterEach
  void conformsToTheSpec() {
    try {
      assertThat(fake.violations()).as("requests and responses off the OpenAPI description").isEmpty();
    } finally {
      fake.close();
    }
  }

  @Test
  void sshKeysAreAddedListedAndDeletedAndADuplicateIsRefused() {
    SshKey k = client.sshKeys().create("laptop", KEY);
    assertThat(k.fingerprint()).matches("([0-9a-f]{2}:){15}[0-9a-f]{2}");
    assertThat(client.sshKeys().list()).extracting(SshKey::name).containsExactly("laptop");

    assertThatThrownBy(() -> client.sshKeys().create("again", KEY))
        .isInstanceOf(DigitalOceanException.class)
        .hasMessageStartingWith("DigitalOcean: adding SSH key 'again' failed: HTTP 422 unprocessable_entity: "
            + "SSH Key is already in use on your account (request id ");

    client.sshKeys().delete(k.fingerprint());
    assertThat(client.sshKeys().list()).isEmpty();
  }

  @Test
  void catalogueListsRegionsSizesAndImages() {
    assertThat(client.catalog().regions()).extracting(Region::slug).contains("sgp1", "nyc3");
    assertThat(client.catalog().sizes()).extracting(Size::slug).contains("s-1vcpu-1gb");
    assertThat(client.catalog().images("distribution")).extracting(Image::slug).contains("debian-12-x64");
    assertThat(client.catalog().privateImages()).isEmpty();
  }

  @Test
  void tagsAreCreatedListedAndDeleted() {
    client.tags().create("env:prod");
    assertThat(client.tags().list()).extracting(Tag::name).containsExactly("env:prod");
    client.tags().delete("env:prod");
    assertThat(client.tags().list()).isEmpty();
  }

  @Test
  void volumesAreCreatedAttachedAndDetached() {
    long droplet = fake.api().seedDroplets(1, "db", null).get(0);
    Volume v = client.volumes().create(new VolumeRequest("events", 10, "sgp1", "event store", "ext4", List.of()));

    client.actions().await(client.volumes().attach(v.id(), droplet, "sgp1"), Duration.ofMinutes(1), p -> { });
    assertThat(client.volumes().get(v.id()).dropletIds()).containsExactly(droplet);
    assertThat(client.droplets().get(droplet).volumeIds()).containsExactly(v.id());

    client.actions().await(client.volumes().detach(v.id(), droplet, "sgp1"), Duration.ofMinutes(1), p -> { });
    assertThat(client.volumes().get(v.id()).dropletIds()).isEmpty();
    assertThat(client.volumes().list()).extracting(Volume::name).containsExactly("events");
  }

  @Test
  void firewallsAreCreatedAndTheirRulesReplaced() {
    Firewall fw = client.firewalls().create(new Firewall(null, "web", null,
        List.of(new InboundRule("tcp", "22", Targets.addresses("0.0.0.0/0", "::/0"))),
        List.of(new OutboundRule("tcp", "0", Targets.addresses("0.0.0.0/0"))), List.of(), List.of("web")));
    assertThat(fw.id()).isNotBlank();

    Firewall updated = client.firewalls().update(fw.id(), new Firewall(null, "web", null,
        List.of(new InboundRule("tcp", "22", Targets.addresses("0.0.0.0/0")),
            new InboundRule("tcp", "443", Targets.addresses("0.0.0.0/0"))),
        fw.outboundRules(), List.of(), List.of("web")));

    assertThat(updated.inboundRules()).extracting(InboundRule::ports).containsExactly("22", "443");
    assertThat(client.firewalls().list()).singleElement().extracting(Firewall::inboundRules)
        .satisfies(r -> assertThat(r).hasSize(2));
  }

  @Test
  void domainsAndRecordsAreManaged() {
    client.domains().create("example.com", "203.0.113.7");
    DomainRecord www = client.domains().createRecord("example.com", DomainRecord.a("www", "203.0.113.7", 600));
    assertThat(client.domains().list()).extracting(Domain::name).containsExactly("example.com");
    assertThat(client.domains().records("example.com")).extracting(DomainRecord::name).containsExactly("@", "www");

    client.domains().updateRecord("example.com", www.id(), DomainRecord.a("www", "203.0.113.8", 600));
    assertThat(client.domains().records("example.com")).filteredOn(r -> r.name().equals("www"))
        .extracting(DomainRecord::data).containsExactly("203.0.113.8");
    client.domains().deleteRecord("example.com", www.id());
    assertThat(client.domains().records("example.com")).hasSize(1);

    assertThatThrownBy(() -> client.domains().create("example.com", null))
        .hasMessageContaining("creating domain 'example.com' failed: HTTP 422 unprocessable_entity: Name already exists");
    client.domains().delete("example.com");
    assertThat(client.domains().list()).isEmpty();
  }

  @Test
  void reservedIpsAreAssignedAndUnassigned() {
    fake.api().seedReservedIp("203.0.113.9", "sgp1");
    long droplet = fake.api().seedDroplets(1, "web", null).get(0);

    client.actions().await(client.reservedIps().assign("203.0.113.9", droplet), Duration.ofMinutes(1), p -> { });
    assertThat(client.reservedIps().list()).singleElement().extracting(ReservedIp::droplet)
        .satisfies(d -> assertThat(d.id()).isEqualTo(droplet));

    client.actions().await(client.reservedIps().unassign("203.0.113.9"), Duration.ofMinutes(1), p -> { });
    assertThat(client.reservedIps().list()).singleElement().extracting(ReservedIp::droplet).isNull();

    assertThatThrownBy(() -> client.reservedIps().assign("../droplets", droplet))
        .isInstanceOf(UserError.class).hasMessageContaining("is not an IPv4 address");
  }
}

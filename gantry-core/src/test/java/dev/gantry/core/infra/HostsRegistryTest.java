package dev.gantry.core.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hosts.yml} as deploy, provisioning and spin use it, and as every earlier writer left it. */
class HostsRegistryTest {
  @TempDir Path dir;
  private final Infrastructure infra = new Infrastructure();

  private Path file(String yaml) throws Exception {
    return Files.writeString(dir.resolve("hosts.yml"), yaml);
  }

  private static HostsRegistry.SystemEntry entry(String release, long seq) {
    return new HostsRegistry.SystemEntry(release, Map.of("app", release), "compose", "2026-11-26T00:00:00Z", "ops", seq, null);
  }

  // deploy

  @Test
  void aDeployKeepsWhatProvisioningRecorded() throws Exception {
    Path file = file("hosts:\n  web1:\n    role: production\n    address: 10.213.0.2\n    provider: lab\n");
    HostsRegistry.read(file).with("web1", null, null, "shop", entry("A", 1)).write(file);
    String text = Files.readString(file);
    assertThat(text).contains("provider: lab").contains("address: 10.213.0.2").contains("role: production")
        .contains("release: A");
    assertThat(HostsRegistry.read(file).hosts().get("web1").provider()).isEqualTo("lab");
  }

  @Test
  void writingTheSameRegistryAgainChangesNothing() throws Exception {
    Path file = dir.resolve("hosts.yml");
    HostsRegistry reg = HostsRegistry.empty().with("web1", "production", "10.0.0.2", "shop", entry("A", 1));
    assertThat(reg.write(file)).isTrue();
    assertThat(reg.write(file)).isFalse();
    assertThat(Files.readString(file)).startsWith(HostsYaml.HEADER).isEqualTo(reg.render());
    assertThat(HostsRegistry.read(dir.resolve("missing.yml"))).isEqualTo(HostsRegistry.empty());
  }

  // provisioning

  @Test
  void provisioningRecordsAddressAndProviderAndARoleOnlyWhereThereIsNone() throws Exception {
    Path file = file("hosts:\n  web1:\n    role: production\n    systems:\n      capital:\n        release: abc123f\n");
    HostsRegistry reg = HostsRegistry.read(file).withMachine("web1", "127.0.0.1", "digitalocean", "staging")
        .withMachine("try1", "10.213.4.2", "lab", "staging").withMachine("db1", "203.0.113.9", "digitalocean", "");
    reg.write(file);

    HostsRegistry back = HostsRegistry.read(file);
    assertThat(back.hosts().get("web1")).isEqualTo(new HostsRegistry.Host("production", "127.0.0.1", "digitalocean",
        Map.of("capital", new HostsRegistry.SystemEntry("abc123f", Map.of(), null, null, null, 0, null))));
    assertThat(back.address("try1")).contains("10.213.4.2");
    assertThat(back.provider("try1")).contains("lab");
    assertThat(back.hosts().get("try1").role()).isEqualTo("staging");
    assertThat(back.hosts().get("db1").role()).isNull();
    assertThat(Files.readString(file)).contains("release: abc123f", "address: 127.0.0.1", "provider: digitalocean");
  }

  @Test
  void forgettingAMachineKeepsItsHistoryAndDropsAHostWithNothingElse() {
    HostsRegistry reg = HostsRegistry.empty().withMachine("web1", "10.213.0.2", "lab", "production")
        .withMachine("gone", "10.213.0.3", "lab", "staging").with("web1", null, null, "shop", entry("A", 1));

    HostsRegistry after = reg.withoutMachine("gone").withoutMachine("web1");

    assertThat(after.hosts()).containsOnlyKeys("web1");
    assertThat(after.hosts().get("web1")).isEqualTo(new HostsRegistry.Host("production", null, null, Map.of("shop", entry("A", 1))));
    assertThat(after.withoutMachine("never-made")).isEqualTo(after);
  }

  // spin and deploy reaching hosts

  @Test
  void aHostWithoutAnAddressIsReachedAtTheRecordedOne() throws Exception {
    Path file = file("""
        # What runs where.
        hosts:
          try1:
            role: staging
            address: 10.213.4.2
            provider: lab
            systems: {}
        """);
    assertThat(HostsRegistry.read(file).addressOf(infra.host("try1").user("deploy").sshPort(2222))).isEqualTo("10.213.4.2");
  }

  @Test
  void anAddressInTheDefinitionWinsOverTheRecordedOne() throws Exception {
    Path file = file("hosts:\n  web1:\n    address: 203.0.113.9\n");
    assertThat(HostsRegistry.read(file).addressOf(infra.host("web1").address("203.0.113.7"))).isEqualTo("203.0.113.7");
  }

  @Test
  void withoutARecordTheNameIsTheAddress() throws Exception {
    HostSpec spec = infra.host("ci.example.com");
    Path file = dir.resolve("hosts.yml");
    assertThat(HostsRegistry.read(file).addressOf(spec)).as("no hosts.yml").isEqualTo("ci.example.com");
    file("hosts:\n  other:\n    address: 10.0.0.1\n  ci.example.com:\n    role: ci\n    address:\n");
    assertThat(HostsRegistry.read(file).addressOf(spec)).as("not recorded").isEqualTo("ci.example.com");
    file("# nothing yet\n");
    assertThat(HostsRegistry.read(file).addressOf(spec)).as("empty file").isEqualTo("ci.example.com");
    file("hosts:\n");
    assertThat(HostsRegistry.read(file).addressOf(spec)).as("no hosts").isEqualTo("ci.example.com");
    file("hosts:\n  ci.example.com:\n");
    assertThat(HostsRegistry.read(file).addressOf(spec)).as("a host with nothing under it").isEqualTo("ci.example.com");
  }

  @Test
  void aBrokenRegistryIsAClearErrorNamingTheFile() throws Exception {
    assertRefused("hosts:\n  web1:\n    address: [10.0.0.1\n").hasMessageStartingWith(named(": not a hosts registry: "));
    assertRefused("- web1\n- web2\n").hasMessage(named(": not a hosts registry (expected a 'hosts:' mapping of host names)"));
    assertRefused("hosts: [web1]\n").hasMessage(named(": not a hosts registry (expected a 'hosts:' mapping of host names)"));
    assertRefused("hosts:\n  web1:\n    address: {ip: 10.0.0.1}\n")
        .hasMessage(named(": hosts.web1.address must be a host name or IP address, not a mapping"));
    assertRefused("hosts:\n  web1:\n    address: ''\n")
        .hasMessage(named(": hosts.web1.address must be a host name or IP address, not ''"));
  }

  @Test
  void aHostOrItsSystemsInTheWrongShapeAreNamed() throws Exception {
    assertRefused("hosts:\n  web1: 10.0.0.1\n")
        .hasMessage(named(": hosts.web1 must be a mapping (role, address, provider, systems), not '10.0.0.1'"));
    assertRefused("hosts:\n  web1:\n    systems: [capital]\n")
        .hasMessage(named(": hosts.web1.systems must be a mapping of system names, not a list"));
    assertRefused("hosts:\n  web1:\n    systems:\n      capital:\n        ledger_entry: many\n")
        .hasMessageStartingWith(named(": not a hosts registry: "));
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String yaml) throws Exception {
    Path file = file(yaml);
    return assertThatThrownBy(() -> HostsRegistry.read(file)).isInstanceOf(UserError.class);
  }

  private String named(String message) {
    return dir.resolve("hosts.yml") + message;
  }

  @Test
  void aTagThatLooksLikeANumberKeepsItsText() throws Exception {
    Path file = dir.resolve("hosts.yml");
    HostsRegistry.empty().with("web1", "", null, "shop",
        new HostsRegistry.SystemEntry("1.10", Map.of("app", "1.10", "db", "007"), "compose", "t", "ops", 1, null)).write(file);
    HostsRegistry.SystemEntry back = HostsRegistry.read(file).hosts().get("web1").systems().get("shop");
    assertThat(back.release()).isEqualTo("1.10");
    assertThat(back.tags()).containsExactlyInAnyOrderEntriesOf(Map.of("app", "1.10", "db", "007"));
  }

  // files written by the three writers before they were one (text as each of them wrote it)

  /** Deploy's own codec: two hosts, tags, an empty tag map, a rollback note, a release that looks like a boolean. */
  private static final String BY_DEPLOY = """
      # What runs where. Gantry rewrites this file and commits it on every deploy,
      # rollback and clone: `git log -p hosts.yml` tells what ran where, when.
      hosts:
        staging:
          address: 10.0.0.5
          systems:
            capital:
              release: "true"
              tags:
                app: 1.10
              runtime: compose
              deployed_at: 2026-11-29T08:00:00Z
              deployed_by: ops
              ledger_entry: 3
        web1:
          role: production
          address: web1
          systems:
            capital:
              release: abc123f
              tags:
                app: abc123f
                worker: abc123f
              runtime: compose
              deployed_at: 2026-11-30T09:15:02.123Z
              deployed_by: Ann <ann@example.com>
              ledger_entry: 7
            crm:
              release: B
              tags: {}
              runtime: swarm
              deployed_at: 2026-11-30T10:00:00Z
              deployed_by: Bob <bob@example.com>
              ledger_entry: 9
              note: "rollback: health check failed: 503"
      """;

  /** Provisioning's codec on a file a deploy wrote first: address and provider after systems, hosts unsorted. */
  private static final String BY_DEPLOY_THEN_CLOUD = """
      # What runs where. Gantry rewrites this file and commits it on every deploy,
      # rollback and clone: `git log -p hosts.yml` tells what ran where, when.
      hosts:
        web1:
          role: production
          systems:
            capital:
              release: A
              tags:
                app: A
              runtime: compose
              deployed_at: 2026-12-01T00:00:00Z
              deployed_by: ops
              ledger_entry: 1
          address: 127.0.0.1
          provider: digitalocean
        aaa:
          role: ci
          address: 10.0.0.9
          provider: lab
      """;

  /** Provisioning's codec alone. */
  private static final String BY_CLOUD = """
      # What runs where. Gantry rewrites this file and commits it on every deploy,
      # rollback and clone: `git log -p hosts.yml` tells what ran where, when.
      hosts:
        try1:
          role: staging
          address: 10.213.4.2
          provider: lab
        db1:
          address: 203.0.113.9
          provider: digitalocean
      """;

  @Test
  void aFileWrittenByTheDeployCodecReadsAndIsWrittenBackByteForByte() throws Exception {
    HostsRegistry reg = HostsRegistry.read(file(BY_DEPLOY));

    assertThat(reg.render()).isEqualTo(BY_DEPLOY);
    HostsRegistry.SystemEntry crm = reg.hosts().get("web1").systems().get("crm");
    assertThat(crm).isEqualTo(new HostsRegistry.SystemEntry("B", Map.of(), "swarm", "2026-11-30T10:00:00Z",
        "Bob <bob@example.com>", 9, "rollback: health check failed: 503"));
    assertThat(reg.hosts().get("staging").systems().get("capital").release()).isEqualTo("true");
    assertThat(reg.hosts().get("staging").systems().get("capital").tags()).containsEntry("app", "1.10");
    assertThat(reg.hosts().get("staging").role()).isNull();
    assertThat(reg.hosts().get("web1").systems().get("capital").tags()).containsOnlyKeys("app", "worker");
  }

  @Test
  void aFileWrittenByTheProvisioningCodecReadsWithEveryField() throws Exception {
    HostsRegistry reg = HostsRegistry.read(file(BY_DEPLOY_THEN_CLOUD));

    assertThat(reg.hosts().get("web1")).isEqualTo(new HostsRegistry.Host("production", "127.0.0.1", "digitalocean",
        Map.of("capital", new HostsRegistry.SystemEntry("A", Map.of("app", "A"), "compose", "2026-12-01T00:00:00Z", "ops", 1, null))));
    assertThat(reg.hosts().get("aaa")).isEqualTo(new HostsRegistry.Host("ci", "10.0.0.9", "lab", Map.of()));
    assertThat(HostsRegistry.read(file(BY_CLOUD)).hosts()).isEqualTo(Map.of(
        "try1", new HostsRegistry.Host("staging", "10.213.4.2", "lab", Map.of()),
        "db1", new HostsRegistry.Host(null, "203.0.113.9", "digitalocean", Map.of())));
  }

  @Test
  void rewritingAnOldFileKeepsEveryFieldInOneOrder() throws Exception {
    Path file = file(BY_DEPLOY_THEN_CLOUD);
    HostsRegistry before = HostsRegistry.read(file);
    assertThat(before.write(file)).as("the order is now always the same").isTrue();

    assertThat(HostsRegistry.read(file)).isEqualTo(before);
    assertThat(Files.readString(file)).isEqualTo(HostsYaml.HEADER + """
        hosts:
          aaa:
            role: ci
            address: 10.0.0.9
            provider: lab
          web1:
            role: production
            address: 127.0.0.1
            provider: digitalocean
            systems:
              capital:
                release: A
                tags:
                  app: A
                runtime: compose
                deployed_at: 2026-12-01T00:00:00Z
                deployed_by: ops
                ledger_entry: 1
        """);
  }
}

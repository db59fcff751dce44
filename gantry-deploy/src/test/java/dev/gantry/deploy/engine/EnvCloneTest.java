package dev.gantry.deploy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.HostsRegistry;
import dev.gantry.core.infra.InfraRepo;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.ledger.JsonLinesLedger;
import dev.gantry.deploy.ledger.ReleaseRecord;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.HealthCheck;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.runtime.ComposeRuntime;
import dev.gantry.deploy.secrets.SecretSource;
import dev.gantry.deploy.testing.Sandbox;
import dev.gantry.deploy.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * `gantry env clone`: the same release elsewhere, with the latest backup's data anonymized.
 * Every clone here goes onto the same Docker Engine as its source, the case where a mistake
 * would reach production's own volumes.
 */
@Tag("integration")
class EnvCloneTest {
  Sandbox sb;
  DeployEngine engine;
  ComposeRuntime compose;
  Docker docker;

  static GantrySystem system(String anonymizer) {
    return GantrySystem.named("crm").service("app", s -> {
      s.image(TestImages.APP).port(8080).volume("events", "/data/events")
          .health(HealthCheck.http("/health").every(Duration.ofMillis(500))).eventSchema(1);
      if (anonymizer != null) {
        s.anonymizer(anonymizer);
      }
    });
  }

  static final GantrySystem SYSTEM = system("sed -i 's/[a-z]*@[a-z.]*/user@example.invalid/g' /data/events/users.txt");

  @BeforeEach
  void setUp() throws Exception {
    sb = new Sandbox();
    engine = sb.engine();
    docker = new Docker(sb.exec);
    compose = ComposeRuntime.detect(docker);
  }

  @AfterEach
  void tearDown() {
    sb.close();
  }

  Path volume(HostTarget h) {
    return Path.of(docker.mountpoint(engine.layout("crm", h).volumeName("events")));
  }

  /** Release B of the system on {@code h}, {@code users} in its data, and a backup of it. */
  void runsWithUsers(HostTarget h, String users) throws Exception {
    assertThat(engine.deploy(SYSTEM, h, Release.parse("B", SYSTEM), compose).ok()).isTrue();
    Files.writeString(volume(h).resolve("users.txt"), users);
    engine.backupNow(SYSTEM, h);
  }

  String sourceChecksums(HostTarget h) {
    return sb.volumeChecksums(engine.layout("crm", h).volumeName("events"));
  }

  @Test
  void clonesTheReleaseWithAnonymizedData() throws Exception {
    HostTarget prod = sb.host("prod");
    HostTarget staging = sb.host("staging");
    runsWithUsers(prod, "alice@bank.example\nbob@corp.example\n");
    String before = sourceChecksums(prod);
    String prodContainer = compose.states(engine.layout("crm", prod)).get(0).id();

    DeployResult r = new EnvClone(engine).clone(SYSTEM, prod, staging, compose);
    assertThat(r.ok()).as(r.summary() + "\n" + sb.progress).isTrue();
    ReleaseRecord rec = r.record().orElseThrow();
    assertThat(rec.kind()).isEqualTo(ReleaseRecord.Kind.CLONE);
    assertThat(rec.host()).isEqualTo("staging");
    assertThat(rec.release()).isEqualTo("B");
    assertThat(rec.reason()).contains("cloned from prod");
    assertThat(Files.readString(volume(staging).resolve("users.txt")))
        .isEqualTo("user@example.invalid\nuser@example.invalid\n");
    assertThat(Files.readString(volume(prod).resolve("users.txt"))).contains("alice@bank.example");
    assertThat(compose.states(engine.layout("crm", staging))).singleElement()
        .satisfies(c -> assertThat(c.health()).isEqualTo("healthy"));
    assertThat(engine.layout("crm", staging).project()).isNotEqualTo(engine.layout("crm", prod).project());
    assertThat(sourceChecksums(prod)).as("the source's volume is byte-identical").isEqualTo(before).contains("users.txt");
    assertThat(compose.states(engine.layout("crm", prod))).singleElement()
        .satisfies(c -> assertThat(c.id()).as("the source was never stopped or recreated").isEqualTo(prodContainer))
        .satisfies(c -> assertThat(c.running()).isTrue());
    assertThat(HostsRegistry.read(sb.infra.resolve("hosts.yml")).hosts().get("staging").systems().get("crm").release())
        .isEqualTo("B");
    assertThat(sb.sh("git -C " + sb.infra + " log -1 --format=%s")).startsWith("clone crm B from prod to staging");
  }

  @Test
  void aCandidateRunsOnTheSourcesAnonymizedDataFromAMachineWhoseLedgerHasNeverSeenTheSource() throws Exception {
    HostTarget prod = sb.host("prod");
    runsWithUsers(prod, "frank@bank.example\n");
    String before = sourceChecksums(prod);
    // CI's machine: the same definition and hosts, a ledger of its own that knows nothing of prod
    JsonLinesLedger ciLedger = new JsonLinesLedger(sb.dir.resolve("ci-data/deploy/ledger.jsonl"));
    DeployEngine ci = new DeployEngine(new DeployContext(ciLedger, Optional.of(InfraRepo.open(sb.infra)), Clock.systemUTC(),
        "CI <ci@example.com>", Optional.empty(), SecretSource.none(), sb.options(), sb.progress::add));
    assertThat(ciLedger.current("crm", "prod")).isEmpty();
    HostTarget staging = sb.host("staging");

    DeployResult r = new EnvClone(ci).cloneWith(SYSTEM, prod, staging, compose, Release.parse("D", SYSTEM));
    assertThat(r.ok()).as(r.summary() + "\n" + sb.progress).isTrue();
    ReleaseRecord rec = r.record().orElseThrow();
    assertThat(rec.kind()).isEqualTo(ReleaseRecord.Kind.CLONE);
    assertThat(rec.release()).isEqualTo("D");
    assertThat(rec.schemas()).containsEntry("app", 1);
    assertThat(ciLedger.current("crm", "staging")).isPresent();
    assertThat(Files.readString(volume(staging).resolve("users.txt"))).isEqualTo("user@example.invalid\n");
    assertThat(compose.states(engine.layout("crm", staging))).singleElement()
        .satisfies(c -> assertThat(c.image()).endsWith(":D"));
    assertThat(sourceChecksums(prod)).as("the source's volume is byte-identical").isEqualTo(before);
    assertThat(sb.ledger.current("crm", "prod").orElseThrow().release()).isEqualTo("B");
  }

  @Test
  void refusesWithoutAnAnonymizerCoveringEveryVolume() {
    HostTarget prod = sb.host("prod");
    assertThatThrownBy(() -> new EnvClone(engine).clone(system(null), prod, sb.host("qa"), compose))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("volume(s) events are not mounted by any service that declares an anonymizer");
  }

  @Test
  void aFailingAnonymizerWipesTheCopiedData() throws Exception {
    HostTarget prod = sb.host("prod");
    HostTarget qa = sb.host("qa2");
    runsWithUsers(prod, "carol@bank.example\n");
    assertThatThrownBy(() -> new EnvClone(engine).clone(system("exit 3"), prod, qa, compose))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("the anonymizer of service app failed on qa2 (exit 3)");
    assertThat(Files.exists(volume(qa).resolve("users.txt"))).isFalse();
    assertThat(sb.ledger.current("crm", "qa2")).isEmpty();
  }

  @Test
  void aTargetThatIsTheSourceItselfIsRefusedBeforeAnyChange() throws Exception {
    HostTarget prod = sb.host("prod");
    runsWithUsers(prod, "dave@bank.example\n");
    String prodVolume = engine.layout("crm", prod).volumeName("events");
    String before = sb.volumeChecksums(prodVolume);
    // both hosts recorded under the project name of deployments older than per-host naming
    ReleaseRecord p = sb.ledger.current("crm", "prod").orElseThrow();
    String shared = sb.prefix + "crm";
    for (String host : List.of("prod", "mirror")) {
      sb.ledger.append(new ReleaseRecord(0, p.at(), "crm", host, shared, p.runtime(), p.kind(), p.outcome(),
          p.release(), p.tags(), p.images(), p.digests(), p.schemas(), null, null, p.by(), "recorded by hand"));
    }
    int ledgerSize = sb.ledger.all().size();

    assertThatThrownBy(() -> new EnvClone(engine).clone(SYSTEM, prod, sb.host("mirror"), compose))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("both resolve to project " + shared + " on the same Docker Engine")
        .hasMessageContaining("nothing was changed");
    assertThat(sb.volumeChecksums(prodVolume)).isEqualTo(before).contains("users.txt");
    assertThat(sb.ledger.all()).hasSize(ledgerSize);
  }

  @Test
  void withAPrefixTheSourceIsStillFoundWhereItWasDeployed() throws Exception {
    HostTarget prod = sb.host("prod");
    runsWithUsers(prod, "erin@bank.example\n");
    HostTarget prodSeenWithAnotherPrefix = new HostTarget("prod", prod.role(), prod.address(), prod.executor(), prod.root(),
        sb.prefix + "other-");
    HostTarget qa = new HostTarget("qa", "test", prod.address(), prod.executor(), prod.root(), sb.prefix + "other-");
    DeployResult r = new EnvClone(engine).clone(SYSTEM, prodSeenWithAnotherPrefix, qa, compose);
    assertThat(r.ok()).as(r.summary() + "\n" + sb.progress).isTrue();
    assertThat(engine.layout("crm", qa).project()).isEqualTo(sb.prefix + "other-crm-qa");
    // for a deploy, another prefix is another place; the clone found its source where the ledger says it runs
    assertThat(engine.layout("crm", prodSeenWithAnotherPrefix).project()).isEqualTo(sb.prefix + "other-crm-prod");
    assertThat(engine.recordedLayout("crm", prodSeenWithAnotherPrefix).project()).isEqualTo(sb.prefix + "crm-prod");
  }
}

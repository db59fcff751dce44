package dev.gantry.deploy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.ledger.ReleaseRecord;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.HealthCheck;
import dev.gantry.deploy.registry.HostsRegistry;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.runtime.ComposeRuntime;
import dev.gantry.deploy.testing.Sandbox;
import dev.gantry.deploy.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `gantry env clone`: the same release elsewhere, with the latest backup's data anonymized. */
class EnvCloneTest {
  static Sandbox sb;
  static DeployEngine engine;
  static ComposeRuntime compose;
  static Docker docker;

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

  @BeforeAll
  static void setUp() throws Exception {
    sb = new Sandbox();
    engine = sb.engine();
    docker = new Docker(sb.exec);
    compose = ComposeRuntime.detect(docker);
  }

  @AfterAll
  static void tearDown() {
    sb.close();
  }

  static Path volume(HostTarget h) {
    return Path.of(docker.mountpoint(h.layout("crm").volumeName("events")));
  }

  @Test
  void clonesTheReleaseWithAnonymizedData() throws Exception {
    HostTarget prod = sb.host("prod");
    HostTarget staging = sb.host("staging");
    assertThat(engine.deploy(SYSTEM, prod, Release.parse("B", SYSTEM), compose, false).ok()).isTrue();
    Files.writeString(volume(prod).resolve("users.txt"), "alice@bank.example\nbob@corp.example\n");
    engine.backupNow(SYSTEM, prod);

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
    assertThat(compose.states(staging.layout("crm"))).singleElement()
        .satisfies(c -> assertThat(c.health()).isEqualTo("healthy"));
    assertThat(HostsRegistry.read(sb.infra.resolve("hosts.yml")).hosts().get("staging").systems().get("crm").release())
        .isEqualTo("B");
    assertThat(sb.sh("git -C " + sb.infra + " log -1 --format=%s")).startsWith("clone crm B from prod to staging");
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
    if (sb.ledger.current("crm", "prod").isEmpty()) {
      assertThat(engine.deploy(SYSTEM, prod, Release.parse("B", SYSTEM), compose, false).ok()).isTrue();
    }
    Files.writeString(volume(prod).resolve("users.txt"), "carol@bank.example\n");
    engine.backupNow(SYSTEM, prod);
    assertThatThrownBy(() -> new EnvClone(engine).clone(system("exit 3"), prod, qa, compose))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("the anonymizer of service app failed on qa2 (exit 3)");
    assertThat(Files.exists(volume(qa).resolve("users.txt"))).isFalse();
    assertThat(sb.ledger.current("crm", "qa2")).isEmpty();
  }
}

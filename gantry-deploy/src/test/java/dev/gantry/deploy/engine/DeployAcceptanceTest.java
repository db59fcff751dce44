package dev.gantry.deploy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.HostsRegistry;
import dev.gantry.deploy.backup.Backup;
import dev.gantry.deploy.backup.BackupStore;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.ledger.ReleaseRecord;
import dev.gantry.deploy.ledger.ReleaseRecord.Outcome;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.runtime.ComposeRuntime;
import dev.gantry.deploy.testing.Sandbox;
import dev.gantry.deploy.testing.Systems;
import dev.gantry.deploy.testing.TestImages;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The acceptance story against the real Docker Engine and docker-compose: release A
 * then B of a two-service system with data volumes behind nginx; C fails its health check
 * and is rolled back; a schema change refuses a rollback unless data loss is accepted and
 * only harmless events were written. Each test builds the history it needs in a sandbox of
 * its own, so any one runs alone.
 */
@Tag("integration")
class DeployAcceptanceTest {
  Sandbox sb;
  DeployEngine engine;
  HostTarget prod;
  ComposeRuntime compose;
  int port;

  @BeforeEach
  void setUp() throws Exception {
    sb = new Sandbox();
    engine = sb.engine();
    prod = sb.host("prod");
    compose = ComposeRuntime.detect(new Docker(sb.exec));
    port = Systems.freePort();
  }

  @AfterEach
  void tearDown() {
    if (sb != null) {
      sb.close();
    }
  }

  GantrySystem system(int schema) {
    return Systems.capital(schema, port);
  }

  DeployResult deploy(int schema, String release) {
    GantrySystem s = system(schema);
    return engine.deploy(s, prod, Release.parse(release, s), compose);
  }

  /** Deploys each release in turn (schema 1 unless the release is D), each one healthy. */
  void history(String... releases) {
    for (String r : releases) {
      DeployResult d = deploy(r.equals("D") ? 2 : 1, r);
      assertThat(d.ok()).as(d.summary() + "\n" + sb.progress).isTrue();
    }
  }

  String get(String path) {
    return Systems.fetch(port, path);
  }

  String inApp(String script) {
    String id = compose.states(engine.layout("capital", prod)).stream().filter(c -> c.service().equals("app") && c.running())
        .findFirst().orElseThrow().id();
    return sb.sh("docker exec " + id + " sh -c '" + script + "'");
  }

  String frontId() {
    return compose.states(engine.layout("capital", prod)).stream().filter(c -> c.service().equals("frontend"))
        .findFirst().orElseThrow().id();
  }

  String git(String args) {
    return sb.sh("git -C " + sb.infra + " " + args);
  }

  @Test
  void releaseAIsDeployedHealthyAndServedThroughNginx() throws Exception {
    DeployResult r = deploy(1, "A");
    assertThat(r.ok()).as(r.summary() + "\n" + sb.progress).isTrue();
    assertThat(get("/release.txt")).isEqualTo("200 A");
    assertThat(compose.states(engine.layout("capital", prod))).allSatisfy(c -> assertThat(c.health()).isEqualTo("healthy"));
    inApp("echo precious > /data/events/marker");

    ReleaseRecord rec = r.record().orElseThrow();
    assertThat(rec.release()).isEqualTo("A");
    assertThat(rec.images()).containsEntry("app", TestImages.APP + ":A").containsEntry("frontend", TestImages.NGINX);
    assertThat(rec.digests().get(TestImages.APP + ":A")).startsWith("sha256:");
    assertThat(rec.schemas()).containsEntry("app", 1);
    assertThat(rec.by()).isEqualTo("Test Deployer <deployer@example.com>");
    assertThat(Files.readString(sb.dir.resolve("systemd").resolve(engine.layout("capital", prod).unitName())))
        .contains(" up -d\n");
    assertThat(HostsRegistry.read(sb.infra.resolve("hosts.yml")).hosts().get("prod").systems().get("capital").release())
        .isEqualTo("A");
  }

  @Test
  void releaseBKeepsTheDataAndIsBackedUpBeforehand() throws Exception {
    history("A");
    inApp("echo precious > /data/events/marker");
    DeployResult r = deploy(1, "B");
    assertThat(r.ok()).as(r.summary() + "\n" + sb.progress).isTrue();
    assertThat(get("/release.txt")).isEqualTo("200 B");
    assertThat(inApp("cat /data/events/marker").strip()).isEqualTo("precious");
    assertThat(inApp("cat /data/events/starts.log")).contains("started A", "started B");

    ReleaseRecord rec = r.record().orElseThrow();
    BackupStore store = engine.store(system(1), prod);
    Backup backup = store.require(rec.backupId());
    assertThat(backup.release()).as("taken while A ran, before B").isEqualTo("A");
    assertThat(backup.archives()).extracting(Backup.Archive::volume).containsExactly("dbdata", "events");
    assertThat(store.verify(backup.id()).ok()).isTrue();
    assertThat(sb.sh("tar -tzf " + store.dir(backup.id()) + "/events.tar.gz")).contains("./marker");
    assertThat(sb.sh("cd " + store.dir(backup.id()) + " && sha256sum -c SHA256SUMS")).contains("events.tar.gz: OK");

    assertThat(sb.ledger.history("capital", "prod")).extracting(ReleaseRecord::release).containsExactly("A", "B");
    String log = git("log --format=%s -- hosts.yml");
    assertThat(log.lines().toList()).containsExactly("deploy capital B to prod", "deploy capital A to prod");
    assertThat(git("log -1 --format=%an hosts.yml").strip()).isEqualTo("Test Deployer");
    assertThat(git("show HEAD~1:hosts.yml")).contains("release: A");
    assertThat(git("show HEAD:hosts.yml")).contains("release: B", "role: production");
  }

  @Test
  void releaseCFailsItsHealthCheckAndIsRolledBackToB() throws Exception {
    history("A");
    inApp("echo precious > /data/events/marker");
    history("B");
    DeployResult r = deploy(1, "C");
    assertThat(r.ok()).isFalse();
    ReleaseRecord rec = r.record().orElseThrow();
    assertThat(rec.outcome()).as(rec.reason() + "\n" + r.summary() + "\n" + String.join("\n", sb.progress)).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(rec.release()).isEqualTo("C");
    assertThat(rec.reason()).contains("service app is unhealthy", "rolled back automatically to B", "which is healthy");
    assertThat(get("/release.txt")).isEqualTo("200 B");
    assertThat(inApp("cat /data/events/marker").strip()).isEqualTo("precious");
    assertThat(sb.ledger.current("capital", "prod").orElseThrow().release()).isEqualTo("B");
    assertThat(git("log --format=%s -- hosts.yml").lines().count()).as("nothing new runs, nothing committed").isEqualTo(2);
    assertThat(r.summary()).doesNotContain("curl: not found");
  }

  @Test
  void rollbackWithTheSameSchemaRedeploysTheOlderTagsKeepingData() throws Exception {
    history("A");
    inApp("echo precious > /data/events/marker");
    history("B");
    DeployResult r = engine.rollback(system(1), prod, null, false, compose);
    assertThat(r.ok()).as(r.summary()).isTrue();
    assertThat(get("/release.txt")).isEqualTo("200 A");
    assertThat(inApp("cat /data/events/marker").strip()).isEqualTo("precious");
    ReleaseRecord rec = r.record().orElseThrow();
    assertThat(rec.kind()).isEqualTo(ReleaseRecord.Kind.ROLLBACK);
    assertThat(rec.reason()).contains("event-schema versions are the same");
    assertThat(git("log -1 --format=%s -- hosts.yml").strip()).isEqualTo("rollback capital on prod to A (from B)");
  }

  @Test
  void rollbackAcrossASchemaChangeIsRefusedWithAnExplanation() throws Exception {
    history("B", "D");
    inApp("echo written-by-D > /data/events/after-d");

    assertThatThrownBy(() -> engine.rollback(system(2), prod, null, false, compose))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("event schema changed between B and D (app 1 -> 2)")
        .hasMessageContaining("Roll forward")
        .hasMessageContaining("--accept-data-loss");
    assertThat(get("/release.txt")).isEqualTo("200 D");
  }

  @Test
  void withHarmlessEventsOnlyAcceptingDataLossRestoresTheBackupAndRunsTheOlderRelease() throws Exception {
    history("B");
    inApp("echo precious > /data/events/marker");
    history("D");
    inApp("echo written-by-D > /data/events/after-d");
    long now = System.currentTimeMillis() / 1000;
    inApp("echo \"" + now + " UserLoggedIn\" >> /data/events/events.log; echo \"" + now + " UserLoggedOut\" >> /data/events/events.log");
    ReleaseRecord dRecord = sb.ledger.current("capital", "prod").orElseThrow();
    String front = sb.sh("docker inspect --format '{{.Id}} {{.State.StartedAt}} {{.RestartCount}}' "
        + frontId()).strip();

    DeployResult r = engine.rollback(system(2), prod, null, true, compose);
    assertThat(r.ok()).as(r.summary() + "\n" + sb.progress).isTrue();
    assertThat(sb.sh("docker inspect --format '{{.Id}} {{.State.StartedAt}} {{.RestartCount}}' " + frontId()).strip())
        .as("the front keeps running through a rollback that restores data\n" + sb.progress).isEqualTo(front);
    assertThat(get("/release.txt")).isEqualTo("200 B");
    ReleaseRecord rec = r.record().orElseThrow();
    assertThat(rec.restoredFrom()).isEqualTo(dRecord.backupId());
    assertThat(rec.reason()).contains("Only harmless events", "UserLoggedIn x1", "UserLoggedOut x1", "events");
    assertThat(rec.schemas()).containsEntry("app", 1);
    // the data is what it was before D: D's file is gone, A's marker is back
    assertThat(inApp("ls /data/events")).doesNotContain("after-d").contains("marker");
  }

  @Test
  void aHarmfulEventStillRefusesTheRollback() throws Exception {
    history("B", "D");
    long now = System.currentTimeMillis() / 1000;
    inApp("echo \"" + now + " UserLoggedIn\" >> /data/events/events.log; echo \"" + now + " OrderPlaced\" >> /data/events/events.log");
    assertThatThrownBy(() -> engine.rollback(system(2), prod, "B", true, compose))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("not harmless")
        .hasMessageContaining("OrderPlaced x1")
        .hasMessageNotContaining("UserLoggedIn x1");
    assertThat(get("/release.txt")).isEqualTo("200 D");
    assertThat(sb.ledger.current("capital", "prod").orElseThrow().release()).isEqualTo("D");
  }

  @Test
  void dryRunShowsThePlanAndChangesNothing() throws Exception {
    history("B", "D");
    GantrySystem s = system(2);
    int entries = sb.ledger.all().size();
    String compose1 = Files.readString(java.nio.file.Path.of(engine.layout("capital", prod).composeFile()));
    DeployResult r = engine.plan(s, prod, Release.parse("B", s), compose);
    assertThat(r.record()).isEmpty();
    assertThat(r.plan()).contains("running now: D", "back up dbdata, events", "compose.yml: changed",
        "--- a/compose.yml", "+++ b/compose.yml", "@@ -", "-    image: \"" + TestImages.APP + ":D\"",
        "+    image: \"" + TestImages.APP + ":B\"", TestImages.APP + ":B", "if it fails: back to D",
        "app will be recreated: it is down while it restarts (it mounts data volume events");
    assertThat(sb.ledger.all()).hasSize(entries);
    assertThat(Files.readString(java.nio.file.Path.of(engine.layout("capital", prod).composeFile()))).isEqualTo(compose1);
    assertThat(get("/release.txt")).isEqualTo("200 D");
    assertThat(List.of(new java.io.File(engine.layout("capital", prod).dir()).list())).noneMatch(n -> n.startsWith(".staging"));
  }
}

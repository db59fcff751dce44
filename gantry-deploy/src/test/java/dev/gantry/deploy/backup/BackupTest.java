package dev.gantry.deploy.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.engine.DeployEngine;
import dev.gantry.deploy.engine.HostTarget;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.runtime.ComposeRuntime;
import dev.gantry.deploy.s3.S3BackupCopy;
import dev.gantry.deploy.s3.S3Client;
import dev.gantry.deploy.s3.S3Config;
import dev.gantry.deploy.secrets.SecretSource;
import dev.gantry.deploy.testing.S3rver;
import dev.gantry.deploy.testing.Sandbox;
import dev.gantry.deploy.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Backups of real Docker volumes: archive + manifest, verify, restore, retention, and the S3 copy. */
@Tag("integration")
class BackupTest {
  static Sandbox sb;
  static S3rver s3rver;
  static DeployEngine engine;
  static HostTarget host;
  static Docker docker;
  static final GantrySystem SYSTEM = GantrySystem.named("ledger")
      .service("app", s -> s.image(TestImages.APP).volume("events", "/data/events").volume("uploads", "/data/uploads"));

  @BeforeAll
  static void setUp() throws Exception {
    sb = new Sandbox();
    s3rver = S3rver.start("gantry-backups");
    S3Client s3 = new S3Client(new S3Config(s3rver.endpoint(), "us-east-1", "gantry-backups", "nightly",
        S3rver.ACCESS_KEY, S3rver.SECRET_KEY), Clock.systemUTC());
    engine = sb.engine(Optional.of(new S3BackupCopy(s3)), SecretSource.none());
    host = sb.host("prod");
    docker = new Docker(sb.exec);
  }

  @AfterAll
  static void tearDown() {
    s3rver.close();
    sb.close();
  }

  static Path volume(String v) {
    return Path.of(docker.mountpoint(host.layout("ledger").volumeName(v)));
  }

  @Test
  void createVerifyTamperRefuseRestore() throws Exception {
    engine.backupNow(SYSTEM, host); // creates the volumes
    Files.writeString(volume("events").resolve("stream.log"), "e1\ne2\n");
    Files.createDirectories(volume("uploads").resolve("2025"));
    Files.writeString(volume("uploads").resolve("2025/invoice.pdf"), "%PDF");

    Backup b = engine.backupNow(SYSTEM, host);
    BackupStore store = engine.store(SYSTEM, host);
    assertThat(store.list().get(0).id()).isEqualTo(b.id());
    assertThat(b.archives()).extracting(Backup.Archive::file).containsExactly("events.tar.gz", "uploads.tar.gz");
    assertThat(store.verify(b.id()).ok()).isTrue();
    assertThat(Files.readString(Path.of(store.dir(b.id()), "SHA256SUMS")))
        .contains(b.archive("events").orElseThrow().sha256() + "  events.tar.gz");

    // data changes after the backup; restore brings the backed-up state back exactly
    Files.writeString(volume("events").resolve("stream.log"), "e1\ne2\ne3-after-backup\n");
    Files.writeString(volume("events").resolve("new-file"), "x");
    String msg = engine.restore(SYSTEM, host, ComposeRuntime.detect(docker), b.id(), List.of());
    assertThat(msg).contains("restored events, uploads from " + b.id());
    assertThat(Files.readString(volume("events").resolve("stream.log"))).isEqualTo("e1\ne2\n");
    assertThat(Files.exists(volume("events").resolve("new-file"))).isFalse();
    assertThat(Files.readString(volume("uploads").resolve("2025/invoice.pdf"))).isEqualTo("%PDF");

    // a damaged archive fails verification and is never restored
    Path archive = Path.of(store.dir(b.id()), "events.tar.gz");
    Files.write(archive, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    Verification v = store.verify(b.id());
    assertThat(v.ok()).isFalse();
    assertThat(v.problems()).anySatisfy(p -> assertThat(p).contains("events.tar.gz: SHA-256 is", "but SHA256SUMS says"));
    Files.writeString(volume("events").resolve("stream.log"), "current\n");
    assertThatThrownBy(() -> store.restore(b.id(), List.of("events"))).isInstanceOf(UserError.class)
        .hasMessageContaining("refusing to restore backup " + b.id());
    assertThat(Files.readString(volume("events").resolve("stream.log"))).isEqualTo("current\n");

    assertThatThrownBy(() -> store.require("20990101T000000Z-0000")).isInstanceOf(UserError.class)
        .hasMessageContaining("no backup '20990101T000000Z-0000'");
  }

  @Test
  void retentionKeepsTheNewest() {
    for (int i = 0; i < 7; i++) {
      engine.backupNow(SYSTEM, host);
    }
    List<Backup> all = engine.store(SYSTEM, host).list();
    assertThat(all).hasSize(sb.options().keepBackups());
    assertThat(all).isSortedAccordingTo((a, b) -> b.id().compareTo(a.id()));
  }

  @Test
  void everyBackupIsCopiedToS3AndCanBeFetchedBackAndVerified() throws Exception {
    Backup b = engine.backupNow(SYSTEM, host);
    S3BackupCopy copy = engine.context().s3().orElseThrow();
    assertThat(copy.list(host.layout("ledger").project())).contains(b.id());

    // fetch it into another host folder and check it there
    HostTarget other = new HostTarget("dr", "", "127.0.0.1", sb.exec, sb.dir.resolve("dr-root").toString(), sb.prefix + "prod-");
    BackupStore drStore = engine.store(SYSTEM, other);
    copy.download(host.layout("ledger").project(), b.id(), drStore);
    assertThat(drStore.verify(b.id()).ok()).isTrue();
    assertThat(drStore.require(b.id()).archives()).isEqualTo(b.archives());
  }

  @Test
  void wrongS3CredentialsOrBucketAreClearErrors() {
    S3Client bad = new S3Client(new S3Config(s3rver.endpoint(), "us-east-1", "no-such-bucket", "", "S3RVER", "S3RVER"),
        Clock.systemUTC());
    assertThatThrownBy(() -> bad.list("x/")).isInstanceOf(UserError.class)
        .hasMessageContaining("bucket no-such-bucket failed: HTTP 404 NoSuchBucket");
    S3Client unknownKey = new S3Client(new S3Config(s3rver.endpoint(), "us-east-1", "gantry-backups", "", "NOPE", "secret-x"),
        Clock.systemUTC());
    assertThatThrownBy(() -> unknownKey.list("x/")).isInstanceOf(UserError.class)
        .hasMessageContaining("HTTP 403").hasMessageNotContaining("secret-x");
  }
}

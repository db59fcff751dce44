package dev.gantry.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.Target;
import dev.gantry.deploy.backup.Backup;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.engine.DeployEngine;
import dev.gantry.deploy.engine.DeployResult;
import dev.gantry.deploy.engine.HostTarget;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.HealthCheck;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.runtime.ComposeRuntime;
import dev.gantry.deploy.testing.LoopbackSshd;
import dev.gantry.deploy.testing.Sandbox;
import dev.gantry.deploy.testing.TestImages;
import dev.gantry.host.ssh.SshConnection;
import dev.gantry.host.ssh.SshEndpoint;
import dev.gantry.host.ssh.SshOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Deploying over SSH: a real sshd on loopback, gantry-host's SSH client, the real Docker Engine behind it. */
@Tag("integration")
class SshDeployTest {
  static Sandbox sb;
  static LoopbackSshd sshd;
  static SshConnection ssh;
  static Target remote;

  @BeforeAll
  static void setUp() throws Exception {
    sb = new Sandbox();
    sshd = LoopbackSshd.start();
    ssh = SshConnection.connect(new SshEndpoint("127.0.0.1", sshd.port, "root"),
        SshOptions.defaults().withIdentity(sshd.clientKey).withKnownHosts(sshd.knownHosts).acceptingNewHostKey(true));
    remote = ssh.target();
  }

  @AfterAll
  static void tearDown() {
    ssh.close();
    sshd.close();
    sb.close();
  }

  @Test
  void commandsFilesAndBinaryStreamsTravelIntact() throws Exception {
    ProcessResult r = remote.run(List.of("sh", "-c", "echo \"$GREETING, $1\"; echo oops >&2; exit 3", "sh", "it's me"),
        Map.of("GREETING", "hello world"), Duration.ofSeconds(30));
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("hello world, it's me\n");
    assertThat(r.stderr()).isEqualTo("oops\n");

    String file = sb.dir.resolve("remote/sub/secret.env").toString();
    remote.writeMakingFolders(file, "K=V\n".getBytes(), FileAttrs.secretIf(true));
    assertThat(remote.read(file)).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("K=V\n"));
    assertThat(sb.sh("stat -c %a " + file).strip()).isEqualTo("600");
    assertThat(remote.read(file + ".missing")).isEmpty();

    byte[] blob = new byte[300_001];
    new Random(7).nextBytes(blob);
    String bin = sb.dir.resolve("remote/blob.bin").toString();
    remote.upload(new ByteArrayInputStream(blob), bin);
    assertThat(Files.readAllBytes(Path.of(bin))).isEqualTo(blob);
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    remote.download(bin, back);
    assertThat(back.toByteArray()).isEqualTo(blob);
    assertThat(remote.name()).contains("127.0.0.1");
  }

  @Test
  void deploysAndBacksUpOverSsh() throws Exception {
    GantrySystem system = GantrySystem.named("remote").service("app", s -> s.image(TestImages.APP).port(8080)
        .volume("events", "/data/events").health(HealthCheck.http("/health").every(Duration.ofMillis(500))));
    HostTarget host = new HostTarget("edge", "edge", "127.0.0.1", remote, sb.root.toString(), sb.prefix + "edge-");
    DeployEngine engine = sb.engine();
    ComposeRuntime compose = ComposeRuntime.detect(new Docker(remote));
    assertThat(engine.deploy(system, host, Release.parse("A", system), compose).ok()).isTrue();
    DeployResult b = engine.deploy(system, host, Release.parse("B", system), compose);
    assertThat(b.ok()).as(b.summary() + "\n" + sb.progress).isTrue();
    assertThat(sb.progress).anySatisfy(l -> assertThat(l).contains("ssh root@127.0.0.1"));
    Backup backup = engine.store(system, host).require(b.record().orElseThrow().backupId());
    assertThat(engine.store(system, host).verify(backup.id()).ok()).isTrue();
    assertThat(compose.states(host.layout("remote"))).singleElement()
        .satisfies(c -> assertThat(c.image()).isEqualTo(TestImages.APP + ":B"));
  }
}

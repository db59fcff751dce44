package dev.gantry.cloud.cli;

import static dev.gantry.cloud.Cloud.lab;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cloud.lab.LabTrace;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.host.ssh.SshConnection;
import dev.gantry.host.ssh.SshEndpoint;
import dev.gantry.host.ssh.SshOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `gantry cloud up` of a lab host, reached over SSH by OpenSSH and by Gantry's own client, then `cloud down`. */
@Tag("integration")
class LabCloudUpTest {
  /** Unique to this run: the lab host's name is also its network namespace's. */
  static final String HOST = LabTrace.uniqueName("lab-web");

  @TempDir Path tmp;

  @Test
  void upMakesAHostThatSshReachesAndDownLeavesNoTrace() throws Exception {
    Path key = LabTrace.keyPair(tmp);
    Path base = LabTrace.machineRootfs();
    Path infraDir = tmp.resolve("infra-repo");
    Files.createDirectories(infraDir.resolve("infra"));
    Files.writeString(infraDir.resolve("infra/Infra.java"), "// built in code by the test\n");
    Infrastructure infra = new Infrastructure();
    infra.host(HOST).role("staging").provisionedBy(lab().authorizedKey(Path.of(key + ".pub")).rootfs(base));
    Path data = tmp.resolve("data");
    Map<String, String> env = Map.of("GANTRY_DATA_DIR", data.toString());
    InfraLoader loader = (p, d) -> infra;

    CliRun.Outcome up = CliRun.run(env, loader, "", "--infra", infraDir.toString(), "up", HOST);
    try {
      assertThat(up.exitCode()).as(up.err()).isZero();
      assertThat(up.out()).containsPattern(HOST + " is up at 10\\.213\\.\\d+\\.2 \\(lab\\)").endsWith("next: gantry host spin " + HOST + "\n");
      String address = up.out().replaceAll("(?s).*" + HOST + " is up at (\\S+) .*", "$1");
      assertThat(Files.readString(infraDir.resolve("hosts.yml"))).contains("address: " + address, "provider: lab", "role: staging");

      var ssh = LabTrace.ssh(key, "root", address, "hostname && test -f /etc/debian_version && echo inside");
      assertThat(ssh.stdout()).as(ssh.stderr()).isEqualTo(HOST + "\ninside\n");
      SshOptions options = SshOptions.defaults().withIdentity(key).withKnownHosts(tmp.resolve("known_hosts"))
          .acceptingNewHostKey(true).withConnectTimeout(Duration.ofSeconds(10));
      try (SshConnection c = SshConnection.connect(new SshEndpoint(address, 22, "root"), options)) {
        ProcessResult r = c.exec("uname -n; id -u");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo(HOST + "\n0\n");
      }

      CliRun.Outcome again = CliRun.run(env, loader, "", "--infra", infraDir.toString(), "up", HOST);
      assertThat(again.out()).contains(HOST + ": lab machine exists").contains(HOST + " is up at " + address);
      assertThat(CliRun.run(env, loader, "", "--infra", infraDir.toString(), "lab").out()).contains(HOST, address, "running");
    } finally {
      CliRun.Outcome down = CliRun.run(env, loader, "", "--infra", infraDir.toString(), "down", HOST, "--yes");
      assertThat(down.exitCode()).as(down.err()).isZero();
    }
    Path hostDir = data.resolve("cloud/lab/hosts/" + HOST).toAbsolutePath();
    assertThat(LabTrace.namespaces()).doesNotContain("gantry-" + HOST);
    assertThat(LabTrace.mountsUnder(hostDir)).isEmpty();
    assertThat(LabTrace.processesRootedUnder(hostDir)).isEmpty();
    assertThat(LabTrace.cgroupsOf(HOST)).isEmpty();
    assertThat(hostDir).doesNotExist();
    assertThat(Files.readString(infraDir.resolve("hosts.yml"))).doesNotContain("address:");
  }
}

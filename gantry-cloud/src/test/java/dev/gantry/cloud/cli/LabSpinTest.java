package dev.gantry.cloud.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cloud.lab.LabTrace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path a new host takes: {@code gantry cloud up} makes a lab host from the
 * compiled definition and records its address, {@code gantry host spin} (the host declares
 * no address) reaches it there, installs Gantry's runtime on the lab machine and makes
 * its properties hold, and {@code gantry cloud down} leaves nothing behind.
 */
@Tag("integration")
class LabSpinTest {
  /** Unique to this run: the lab host's name is also its network namespace's. */
  private static final String HOST = LabTrace.uniqueName("lab-spin");

  @TempDir Path tmp;

  @Test
  void cloudUpThenHostSpinConfiguresTheLabHostAndDownLeavesNoTrace() throws Exception {
    Path key = LabTrace.keyPair(tmp);
    Path base = LabTrace.machineRootfs();
    Path repo = infraRepo(key, base);
    Path data = tmp.resolve("data");
    Map<String, String> env = Map.of("GANTRY_DATA_DIR", data.toString());
    Path hostDir = data.resolve("cloud/lab/hosts/" + HOST).toAbsolutePath();
    Path knownHosts = tmp.resolve("known_hosts");

    CliRun.Outcome up = CliRun.run(env, InfraLoader.compiling(), "", "--infra", repo.toString(), "up", HOST);
    try {
      assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
      String address = up.out().replaceAll("(?s).*" + HOST + " is up at (\\S+) .*", "$1");
      assertThat(address).matches("10\\.213\\.\\d+\\.2");
      assertThat(Files.readString(repo.resolve("hosts.yml"))).contains("address: " + address);

      LabRepo.Spin first = LabRepo.spin(repo, HOST, key, knownHosts);
      assertThat(first.code()).as(first.out() + first.err()).isZero();
      assertThat(first.err()).contains("connecting to root@" + address);
      assertThat(first.out()).contains("0 ok, 3 changed, 0 failed", "(runtime installed)");
      Path root = hostDir.resolve("root");
      assertThat(root.resolve("etc/gantry-lab")).isDirectory();
      assertThat(root.resolve("etc/gantry-lab/motd")).hasContent("spun in the lab");
      assertThat(Files.readAllLines(root.resolve("etc/environment"))).contains("GANTRY_LAB=1");
      String[] recordedKey = Files.readString(knownHosts).strip().split(" ");
      assertThat(recordedKey[0]).isEqualTo(address);
      assertThat(Files.readString(root.resolve("etc/ssh/ssh_host_" + keyFile(recordedKey[1]) + "_key.pub")))
          .as("the key recorded is the lab host's own").startsWith(recordedKey[1] + " " + recordedKey[2]);
      assertThat(base.resolve("etc/gantry-lab")).as("the shared base tree is never written").doesNotExist();

      LabRepo.Spin second = LabRepo.spin(repo, HOST, key, knownHosts);
      assertThat(second.code()).as(second.out() + second.err()).isZero();
      assertThat(second.out()).contains("3 ok, 0 changed, 0 failed").doesNotContain("runtime installed");
      assertThat(LabRepo.git(repo, "log", "--format=%s")).contains("gantry host spin " + HOST);
    } finally {
      CliRun.Outcome down = CliRun.run(env, InfraLoader.compiling(), "", "--infra", repo.toString(), "down", HOST, "--yes");
      assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
    }
    assertThat(LabTrace.namespaces()).doesNotContain("gantry-" + HOST);
    assertThat(LabTrace.mountsUnder(hostDir)).isEmpty();
    assertThat(LabTrace.processesRootedUnder(hostDir)).isEmpty();
    assertThat(LabTrace.cgroupsOf(HOST)).isEmpty();
    assertThat(hostDir).doesNotExist();
    assertThat(Files.readString(repo.resolve("hosts.yml"))).doesNotContain("address:");
  }

  /** A git repository whose definition declares HOST on the lab, with no address of its own. */
  private Path infraRepo(Path key, Path base) throws Exception {
    return LabRepo.create(tmp.resolve("infra-repo"), """
        import static dev.gantry.cloud.Cloud.lab;

        import dev.gantry.core.infra.*;
        import dev.gantry.host.lib.File;
        import dev.gantry.core.target.FileAttrs;
        import java.nio.file.Path;

        public class Infra implements InfrastructureDefinition {
          public void define(Infrastructure i) {
            i.host("%s").role("staging")
                .provisionedBy(lab().authorizedKey(Path.of("%s")).rootfs(Path.of("%s")))
                .with(File.directory("/etc/gantry-lab", FileAttrs.mode(0755)),
                      File.hasContent("/etc/gantry-lab/motd", "spun in the lab", FileAttrs.mode(0644)),
                      File.containsLines("/etc/environment", "GANTRY_LAB=1"));
          }
        }
        """.formatted(HOST, key + ".pub", base));
  }

  /** The host key file's infix for an SSH key type: ecdsa-sha2-nistp256 is ssh_host_ecdsa_key. */
  private static String keyFile(String type) {
    return type.startsWith("ecdsa-") ? "ecdsa" : type.replace("ssh-", "");
  }
}

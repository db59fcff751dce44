package dev.gantry.cloud.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cloud.lab.LabTrace;
import dev.gantry.core.cli.ErrorHandler;
import dev.gantry.host.cli.HostCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole path a new host takes: {@code gantry cloud up} makes a lab host from the
 * compiled definition and records its address, {@code gantry host spin} (the host declares
 * no address) reaches it there, installs Gantry's runtime inside the lab's chroot and makes
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

      Spin first = spin(repo, key, knownHosts);
      assertThat(first.code()).as(first.out() + first.err()).isZero();
      assertThat(first.err()).contains("connecting to root@" + address);
      assertThat(first.out()).contains(HOST + ": 0 ok, 3 changed, 0 failed", "(runtime installed)");
      Path root = hostDir.resolve("root");
      assertThat(root.resolve("etc/gantry-lab")).isDirectory();
      assertThat(root.resolve("etc/gantry-lab/motd")).hasContent("spun in the lab");
      assertThat(Files.readAllLines(root.resolve("etc/environment"))).contains("GANTRY_LAB=1");
      String[] recordedKey = Files.readString(knownHosts).strip().split(" ");
      assertThat(recordedKey[0]).isEqualTo(address);
      assertThat(Files.readString(root.resolve("etc/ssh/ssh_host_" + keyFile(recordedKey[1]) + "_key.pub")))
          .as("the key recorded is the lab host's own").startsWith(recordedKey[1] + " " + recordedKey[2]);
      assertThat(base.resolve("etc/gantry-lab")).as("the shared base tree is never written").doesNotExist();

      Spin second = spin(repo, key, knownHosts);
      assertThat(second.code()).as(second.out() + second.err()).isZero();
      assertThat(second.out()).contains(HOST + ": 3 ok, 0 changed, 0 failed").doesNotContain("runtime installed");
      assertThat(git(repo, "log", "--format=%s")).contains("gantry host spin " + HOST);
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
    Path repo = tmp.resolve("infra-repo");
    Files.createDirectories(repo.resolve("infra"));
    git(repo, "init", "-q", "-b", "main");
    git(repo, "config", "user.name", "Lab Spin");
    git(repo, "config", "user.email", "lab-spin@example.org");
    Files.writeString(repo.resolve("infra/Infra.java"), """
        import static dev.gantry.cloud.Cloud.lab;

        import dev.gantry.core.infra.*;
        import dev.gantry.host.lib.File;
        import dev.gantry.host.target.FileAttrs;
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
    return repo;
  }

  /** The host key file's infix for an SSH key type: ecdsa-sha2-nistp256 is ssh_host_ecdsa_key. */
  private static String keyFile(String type) {
    return type.startsWith("ecdsa-") ? "ecdsa" : type.replace("ssh-", "");
  }

  record Spin(int code, String out, String err) {}

  /** {@code gantry host spin HOST} with the key the lab authorised, accepting the lab host's new key. */
  private static Spin spin(Path repo, Path key, Path knownHosts) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = ErrorHandler.install(new CommandLine(new HostCommand()));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute("spin", HOST, "--infra", repo.toString(), "-i", key.toString(),
        "--known-hosts", knownHosts.toString(), "--accept-new-host-key");
    return new Spin(code, out.toString(), err.toString());
  }

  private static String git(Path repo, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + output).isZero();
    return output;
  }
}

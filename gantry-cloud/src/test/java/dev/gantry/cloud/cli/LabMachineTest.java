package dev.gantry.cloud.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cloud.lab.LabTrace;
import dev.gantry.core.cli.ErrorHandler;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.deploy.cli.DeployCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One real lab machine, made by {@code gantry cloud up} and spun once by {@code gantry host spin}
 * for all tests here: properties that need a booted host (packages from the cache on this
 * machine, Docker Engine and docker-compose, a unit of our own enabled, started and restarted on
 * change, the nftables firewall, a user with sudo, collectd configured and enabled), then
 * {@code gantry deploy} of a system onto its Docker, answering through nginx on the machine's
 * address. {@code gantry cloud down} at the end leaves no namespace, cgroup or mount.
 */
@Tag("integration")
class LabMachineTest {
  private static final String HOST = LabTrace.uniqueName("lab-machine");
  private static final int MONITOR_PORT = 5555;

  @TempDir static Path tmp;
  static Path key;
  static Path base;
  static Path repo;
  static Map<String, String> env;
  static Path knownHosts;
  static String address;
  static String here;
  static LabRepo.Spin firstSpin;

  @BeforeAll
  static void upAndSpin() throws Exception {
    key = LabTrace.keyPair(tmp);
    base = LabTrace.machineRootfs();
    repo = LabRepo.create(tmp.resolve("infra-repo"), definition("127.0.0.1", "one"));
    env = Map.of("GANTRY_DATA_DIR", tmp.resolve("data").toString());
    knownHosts = tmp.resolve("known_hosts");
    CliRun.Outcome up = CliRun.run(env, InfraLoader.compiling(), "", "--infra", repo.toString(), "up", HOST);
    assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
    assertThat(up.out()).contains("lab machine " + HOST + ": systemd running");
    address = up.out().replaceAll("(?s).*" + HOST + " is up at (\\S+) .*", "$1");
    here = address.replaceAll("\\.2$", ".1");
    Files.writeString(repo.resolve("infra/Infra.java"), definition(here, "one"));
    firstSpin = LabRepo.spin(repo, HOST, key, knownHosts);
  }

  @AfterAll
  static void down() throws Exception {
    if (repo == null) {
      return;
    }
    CliRun.Outcome down = CliRun.run(env, InfraLoader.compiling(), "", "--infra", repo.toString(), "down", HOST, "--yes");
    assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
    assertThat(LabTrace.namespaces()).doesNotContain("gantry-" + HOST);
    assertThat(LabTrace.cgroupsOf(HOST)).isEmpty();
    assertThat(LabTrace.mountsUnder(tmp.resolve("data"))).isEmpty();
    assertThat(LabTrace.nspawnStateExists(HOST)).isFalse();
  }

  @Test
  void servicesDockerFirewallSudoAndCollectdHold() throws Exception {
    assertThat(firstSpin.code()).as(firstSpin.out() + firstSpin.err()).isZero();
    assertThat(firstSpin.out()).contains(" 0 failed");
    assertThat(ssh("systemctl is-active docker nftables hello; systemctl is-enabled hello collectd"))
        .isEqualTo("active\nactive\nactive\nenabled\nenabled\n");
    assertThat(ssh("collectd -t && grep -A2 'Node \"gantry\"' /etc/collectd/collectd.conf")).contains("Host \"" + here + "\"");

    // the firewall: 22 open, a listener on another port unreachable from here
    ssh("systemd-run --quiet --unit=probe9000 python3 -m http.server 9000");
    assertThat(ssh("for i in $(seq 50); do python3 -c 'import urllib.request;"
        + "print(urllib.request.urlopen(\"http://127.0.0.1:9000/\").status)' 2>/dev/null && exit; sleep 0.1; done"))
        .as("the listener answers inside the machine").isEqualTo("200\n");
    assertThat(connects(address, 9000)).as("port 9000 is dropped by the firewall").isFalse();
    assertThat(connects(address, 22)).isTrue();

    // sudo for the user, and the unit restarted when its file changes
    assertThat(ssh("su - ops -c 'sudo -n id -un'")).isEqualTo("root\n");
    String pid = ssh("systemctl show -p MainPID --value hello");
    Files.writeString(repo.resolve("infra/Infra.java"), definition(here, "two"));
    LabRepo.Spin second = LabRepo.spin(repo, HOST, key, knownHosts);
    assertThat(second.code()).as(second.out() + second.err()).isZero();
    assertThat(second.out()).contains(" 0 failed");
    assertThat(ssh("systemctl show -p MainPID --value hello")).isNotEqualTo(pid);
    assertThat(ssh("cat /run/hello")).isEqualTo("two\n");
  }

  @Test
  void aSystemDeployedOntoTheMachineAnswersThroughNginxOnItsAddress() throws Exception {
    assertThat(firstSpin.code()).as(firstSpin.out() + firstSpin.err()).isZero();
    LabImages.importInto(key, address);

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = ErrorHandler.install(new CommandLine(new DeployCommand()));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute("web", "--host", HOST, "--infra", repo.toString(), "--data", tmp.resolve("ledger").toString(),
        "--ssh-key", key.toString(), "--known-hosts", knownHosts.toString(), "--health-timeout", "60");
    assertThat(code).as(out + "\n" + err).isZero();

    assertThat(get("http://" + address + "/")).isEqualTo("200 <h1>app release A</h1>");
    assertThat(ssh("docker ps --format '{{.Names}}' | sort")).contains("frontend", "app");
    // the machine's systemd starts the system at boot
    assertThat(ssh("systemctl is-enabled gantry-web-" + HOST + ".service")).isEqualTo("enabled\n");
  }

  /** The machine's definition: collectd reporting to {@code monitor}, the unit writing {@code greeting}, the system web. */
  private static String definition(String monitor, String greeting) {
    return """
        import static dev.gantry.cloud.Cloud.lab;

        import dev.gantry.core.infra.*;
        import dev.gantry.deploy.model.*;
        import dev.gantry.host.lib.*;
        import java.nio.file.Path;
        import java.time.Duration;

        public class Infra implements InfrastructureDefinition {
          public void define(Infrastructure i) {
            var web = i.add(GantrySystem.named("web")
                .service("app", s -> s.image("%s").port(8080).health(HealthCheck.http("/health").every(Duration.ofMillis(500))))
                .frontend(Frontend.nginx().image("%s").listen("0.0.0.0", 80, 443).route("/", "app:8080")));
            i.host("%s")
                .provisionedBy(lab().authorizedKey(Path.of("%s")).rootfs(Path.of("%s")))
                .with(Apt.updated(),
                      Nftables.allowingTcp(22), Systemd.started("nftables"),
                      Docker.installed(), Systemd.started("docker"), Docker.composeInstalled(),
                      User.exists("ops"), User.hasSudo("ops"),
                      Systemd.unit("hello.service", "[Service]\\nExecStart=/bin/sh -c 'echo %s > /run/hello; exec sleep infinity'\\n"
                          + "[Install]\\nWantedBy=multi-user.target\\n").onChange(Systemd.restarted("hello")),
                      Systemd.enabled("hello"), Systemd.started("hello"),
                      Collectd.reportingTo("%s", %d, Duration.ofSeconds(10)))
                .runs(web, "A");
          }
        }
        """.formatted(LabImages.APP, LabImages.NGINX, HOST, key + ".pub", base, greeting, monitor, MONITOR_PORT);
  }

  private static String ssh(String command) {
    ProcessResult r = LabTrace.ssh(key, "root", address, command);
    assertThat(r.exitCode()).as(command + ": " + r.stderr()).isZero();
    return r.stdout();
  }

  private static boolean connects(String address, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 2000);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static String get(String url) throws Exception {
    HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body().strip();
  }
}

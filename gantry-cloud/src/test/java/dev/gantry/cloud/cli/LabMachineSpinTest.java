package dev.gantry.cloud.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cloud.lab.LabTrace;
import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Properties that need a booted host, spun onto a real lab machine: packages from the cache on
 * this machine, Docker Engine running containers whose published ports answer here, a unit of
 * our own enabled, started and restarted on change, the nftables firewall loaded, a user with
 * sudo, and collectd installed, configured for a monitor on this machine and enabled.
 */
@Tag("integration")
class LabMachineSpinTest {
  private static final String HOST = LabTrace.uniqueName("lab-props");
  private static final int MONITOR_PORT = 5555;

  @TempDir Path tmp;

  @Test
  void servicesDockerFirewallSudoAndCollectdHoldOnALabMachine() throws Exception {
    Path key = LabTrace.keyPair(tmp);
    Path base = LabTrace.machineRootfs();
    Path repo = LabRepo.create(tmp.resolve("infra-repo"), definition(key, base, "127.0.0.1", 5555, "one"));
    Map<String, String> env = Map.of("GANTRY_DATA_DIR", tmp.resolve("data").toString());
    Path knownHosts = tmp.resolve("known_hosts");

    CliRun.Outcome up = CliRun.run(env, InfraLoader.compiling(), "", "--infra", repo.toString(), "up", HOST);
    try {
      assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
      assertThat(up.out()).contains("lab machine " + HOST + ": systemd running");
      String address = up.out().replaceAll("(?s).*" + HOST + " is up at (\\S+) .*", "$1");
      String here = address.replaceAll("\\.2$", ".1");
      {
        Files.writeString(repo.resolve("infra/Infra.java"), definition(key, base, here, MONITOR_PORT, "one"));

        LabRepo.Spin first = LabRepo.spin(repo, HOST, key, knownHosts);
        assertThat(first.code()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains(HOST + ":").contains(" 0 failed");

        assertThat(ssh(key, address, "systemctl is-active docker nftables hello; systemctl is-enabled hello collectd"))
            .isEqualTo("active\nactive\nactive\nenabled\nenabled\n");
        assertThat(ssh(key, address, "collectd -t && grep -A2 'Node \"gantry\"' /etc/collectd/collectd.conf"))
            .contains("Host \"" + here + "\"");

        // a container of an image made here, its published port answering on the machine's address
        ProcessResult load = Command.shell("d=$(mktemp -d) && mkdir $d/bin && cp /bin/busybox $d/bin/ && "
                + "ln -s busybox $d/bin/httpd && ln -s busybox $d/bin/sh && tar -C $d -c . | ssh -i " + key
                + " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR root@"
                + address + " 'docker import - lab/busybox:1 >/dev/null && docker run -d --name web -p 8080:80 "
                + "lab/busybox:1 httpd -f -p 80 -h /bin >/dev/null'; rc=$?; rm -rf $d; exit $rc")
            .timeout(Duration.ofSeconds(60)).run();
        assertThat(load.exitCode()).as(load.stderr()).isZero();
        assertThat(httpStatus("http://" + address + ":8080/busybox")).isEqualTo(200);

        // the firewall: 22 open, a listener on another port unreachable from here
        ssh(key, address, "systemd-run --quiet --unit=probe9000 python3 -m http.server 9000");
        assertThat(ssh(key, address, "for i in $(seq 50); do python3 -c 'import urllib.request;"
            + "print(urllib.request.urlopen(\"http://127.0.0.1:9000/\").status)' 2>/dev/null && exit; sleep 0.1; done"))
            .as("the listener answers inside the machine").isEqualTo("200\n");
        assertThat(connects(address, 9000)).as("port 9000 is dropped by the firewall").isFalse();
        assertThat(connects(address, 22)).isTrue();

        // sudo for the user, and the unit restarted when its file changes
        assertThat(ssh(key, address, "su - ops -c 'sudo -n id -un'")).isEqualTo("root\n");
        String pid = ssh(key, address, "systemctl show -p MainPID --value hello");
        Files.writeString(repo.resolve("infra/Infra.java"), definition(key, base, here, MONITOR_PORT, "two"));
        LabRepo.Spin second = LabRepo.spin(repo, HOST, key, knownHosts);
        assertThat(second.code()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).contains(" 0 failed");
        assertThat(ssh(key, address, "systemctl show -p MainPID --value hello")).isNotEqualTo(pid);
        assertThat(ssh(key, address, "cat /run/hello")).isEqualTo("two\n");
      }
    } finally {
      CliRun.Outcome down = CliRun.run(env, InfraLoader.compiling(), "", "--infra", repo.toString(), "down", HOST, "--yes");
      assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
    }
    assertThat(LabTrace.namespaces()).doesNotContain("gantry-" + HOST);
    assertThat(LabTrace.cgroupsOf(HOST)).isEmpty();
    assertThat(LabTrace.mountsUnder(tmp.resolve("data"))).isEmpty();
  }

  /** The machine's definition, collectd reporting to {@code monitor:port}, the unit writing {@code greeting}. */
  private static String definition(Path key, Path base, String monitor, int port, String greeting) {
    return """
        import static dev.gantry.cloud.Cloud.lab;

        import dev.gantry.core.infra.*;
        import dev.gantry.host.lib.*;
        import java.nio.file.Path;
        import java.time.Duration;

        public class Infra implements InfrastructureDefinition {
          public void define(Infrastructure i) {
            i.host("%s")
                .provisionedBy(lab().authorizedKey(Path.of("%s")).rootfs(Path.of("%s")))
                .with(Apt.updated(),
                      Nftables.allowingTcp(22), Systemd.started("nftables"),
                      Docker.installed(), Systemd.started("docker"),
                      User.exists("ops"), User.hasSudo("ops"),
                      Systemd.unit("hello.service", "[Service]\\nExecStart=/bin/sh -c 'echo %s > /run/hello; exec sleep infinity'\\n"
                          + "[Install]\\nWantedBy=multi-user.target\\n").onChange(Systemd.restarted("hello")),
                      Systemd.enabled("hello"), Systemd.started("hello"),
                      Collectd.reportingTo("%s", %d, Duration.ofSeconds(1)).onChange(Systemd.restarted("collectd")));
          }
        }
        """.formatted(HOST, key + ".pub", base, greeting, monitor, port);
  }

  private static String ssh(Path key, String address, String command) {
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

  private static int httpStatus(String url) throws Exception {
    HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}

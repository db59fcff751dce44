package dev.gantry.host.lib;

import static dev.gantry.host.testing.Converge.converges;
import static dev.gantry.host.testing.Converge.fails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.host.property.Context;
import dev.gantry.host.property.Info;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.Result;
import dev.gantry.host.property.Status;
import dev.gantry.host.testing.Sh;
import dev.gantry.host.testing.TestRootfs;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Library properties that install real Debian packages (Docker, nginx, collectd, chrony) in a chroot. */
@Tag("integration")
class PackagesTest {
  // One tree for the class. Each method installs and configures its own packages, which no
  // other method reads or changes, so any method runs alone and the order does not matter.
  static TestRootfs fs;
  static Context ctx;

  @BeforeAll
  static void rootfs() {
    fs = TestRootfs.create("packages");
    ctx = Context.of(fs.target()).withHostName("app1");
    Result r = Apt.installed("systemd").apply(ctx);
    assertThat(r.status()).as(r.message()).isEqualTo(Status.MADE_CHANGE);
  }

  @AfterAll
  static void cleanup() {
    if (fs != null) {
      fs.close();
    }
  }

  @Test
  void dockerEngineAndCompose() {
    Property docker = Docker.installed();
    assertThat(docker.info()).contains(new Info.ServiceMonitored("docker"));
    converges(docker, ctx);
    assertThat(Sh.run("chroot", fs.dir().toString(), "dockerd", "--version").stdout()).contains("Docker version");
    assertThat(Files.isSymbolicLink(fs.path("/etc/systemd/system/multi-user.target.wants/docker.service"))).isTrue();
    converges(Docker.composeInstalled(), ctx);
    assertThat(Sh.run("chroot", fs.dir().toString(), "docker-compose", "version").stdout()).contains("docker-compose");
  }

  @Test
  void nginxSiteCheckedByNginx() throws Exception {
    String conf = "server {\n  listen 8081;\n  location / { return 200 'ok'; }\n}\n";
    Property site = Nginx.site("app", conf);
    assertThat(site.info()).contains(new Info.PortOpened(8081, "tcp"), new Info.ServiceMonitored("nginx"));
    converges(site, ctx);
    assertThat(Files.readSymbolicLink(fs.path("/etc/nginx/sites-enabled/app")).toString())
        .isEqualTo("../sites-available/app");
    assertThat(Sh.run("chroot", fs.dir().toString(), "nginx", "-t").ok()).isTrue();
    Result edit = Nginx.site("app", conf.replace("'ok'", "'changed'")).apply(ctx.dryRun(true));
    assertThat(edit.diff()).contains("-  location / { return 200 'ok'; }", "+  location / { return 200 'changed'; }");
    Result bad = fails(Nginx.site("app", "server { listen 8081; bogus_directive on; }\n"), ctx);
    assertThat(bad.message()).contains("nginx -t rejects", "bogus_directive");
    assertThat(Files.readString(fs.path("/etc/nginx/sites-available/app"))).isEqualTo(conf);
  }

  @Test
  void collectdReportsToARiemannListener() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      converges(Collectd.reportingTo("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(1)), ctx);
      assertThat(Files.readString(fs.path(Collectd.CONF))).contains("Port \"" + server.getLocalPort() + "\"");
      assertThat(Files.isSymbolicLink(fs.path("/etc/systemd/system/multi-user.target.wants/collectd.service"))).isTrue();
      CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
        try (Socket s = server.accept()) {
          DataInputStream in = new DataInputStream(s.getInputStream());
          int len = in.readInt();
          byte[] msg = in.readNBytes(len);
          OutputStream out = s.getOutputStream();
          out.write(new byte[] {0, 0, 0, 2, 0x10, 0x01});
          out.flush();
          return msg;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      java.nio.file.Path log = fs.path("/tmp/collectd-test.log"); // removed with the tree
      Process collectd = new ProcessBuilder("chroot", fs.dir().toString(), "collectd", "-f", "-C", Collectd.CONF)
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        byte[] msg;
        try {
          msg = received.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          throw new AssertionError("collectd sent nothing: " + Files.readString(log));
        }
        String text = new String(msg, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("collectd", "app1");
      } finally {
        collectd.descendants().forEach(ProcessHandle::destroyForcibly);
        collectd.destroyForcibly();
        collectd.waitFor();
      }
    }
    Result moved = Collectd.reportingTo("127.0.0.1", 5555).apply(ctx.dryRun(true));
    assertThat(moved.diff()).contains("+    Port \"5555\"");
    // another host of the definition, by the address the spin resolved for it
    Result toMonitor = Collectd.reportingToHost("monitor", 5555, Duration.ofSeconds(1))
        .apply(ctx.dryRun(true).withPeers(java.util.Map.of("monitor", "10.213.9.2")));
    assertThat(toMonitor.diff()).contains("+    Host \"10.213.9.2\"");
    Result unsent = Collectd.reportingToHost("monitor", 5555, Duration.ofSeconds(1)).apply(ctx.dryRun(true));
    assertThat(unsent.status()).isEqualTo(dev.gantry.host.property.Status.FAILED);
    assertThat(unsent.message()).contains("the address of host 'monitor' was not sent with this spin");
  }

  @Test
  void ntpWithTimezone() throws Exception {
    Property ntp = Ntp.withTimezone("Asia/Singapore");
    converges(ntp, ctx);
    assertThat(Files.readString(fs.path("/etc/timezone"))).isEqualTo("Asia/Singapore\n");
    assertThat(fs.path("/usr/sbin/chronyd")).exists();
    assertThat(Files.isSymbolicLink(fs.path("/etc/systemd/system/multi-user.target.wants/chrony.service"))).isTrue();
  }
}

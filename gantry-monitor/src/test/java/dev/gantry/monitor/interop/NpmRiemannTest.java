package dev.gantry.monitor.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.Proc;
import dev.gantry.monitor.index.IndexKey;
import java.net.URISyntaxException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The npm package "riemann" (2.2.0) sends over TCP and UDP and queries. The package is
 * installed with npm into {@code $GANTRY_NPM_CACHE} (default ~/.cache/gantry-test) on first use.
 */
@Tag("integration")
class NpmRiemannTest {
  static final String VERSION = "2.2.0";

  @TempDir
  static Path data;
  static MonitorService monitor;

  @BeforeAll
  static void start() {
    // the npm client sends UDP to the TCP port
    int port = dev.gantry.monitor.FreePort.tcpAndUdp();
    monitor = MonitorService.start(MonitorSettings.defaults().withTcpPort(port).withUdpPort(port), data);
  }

  @AfterAll
  static void stop() {
    monitor.close();
  }

  /**
   * The package, installed once into a cache shared by every run on this machine. Runs only
   * read it; a run that finds it missing installs it into a folder of its own and renames that
   * into place, so two runs at once never see a half-made cache.
   */
  static Path nodeModules() throws Exception {
    String env = System.getenv("GANTRY_NPM_CACHE");
    Path cache = env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "gantry-test");
    Path dir = cache.resolve("npm-riemann-" + VERSION);
    if (!Files.exists(dir.resolve("node_modules/riemann/package.json"))) {
      Files.createDirectories(cache);
      Path work = Files.createTempDirectory(cache, "npm-riemann-" + VERSION + ".tmp-");
      try {
        Proc.run(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", work.toString(), "riemann@" + VERSION),
            work, Map.of(), 300).ok();
        Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException anotherRunWasFaster) {
        if (!Files.exists(dir.resolve("node_modules/riemann/package.json"))) {
          throw anotherRunWasFaster;
        }
      } finally {
        Proc.run(List.of("rm", "-rf", work.toString()));
      }
    }
    return dir.resolve("node_modules");
  }

  static Path script() throws URISyntaxException {
    return Path.of(NpmRiemannTest.class.getResource("/npm/send.js").toURI());
  }

  @Test
  void npmClientSendsOverTcpAndUdpAndQueries() throws Exception {
    Proc p = Proc.run(List.of("node", script().toString(), Integer.toString(monitor.tcpPort())), null,
        Map.of("NODE_PATH", nodeModules().toString()), 60).ok();
    assertThat(p.stdout()).contains("ACK {\"ok\":true");
    assertThat(p.stdout()).contains("QUERY").contains("npm tcp").contains("252.5");
    var tcp = monitor.engine().call(c -> c.index().get(new IndexKey("node1", "npm tcp"))).get();
    assertThat(tcp.metricValue()).isEqualTo(252.5);
    assertThat(tcp.tags()).containsExactly("nonblocking");
    assertThat(tcp.attribute("sessionID")).isEqualTo("000-001-165");
    await().atMost(Duration.ofSeconds(10)).until(() ->
        monitor.engine().call(c -> c.index().get(new IndexKey("node1", "npm udp"))).get() != null);
  }
}

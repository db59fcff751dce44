package dev.gantry.deploy.testing;

import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.LocalTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Test images built locally (no registry is reachable): a busybox-static root filesystem
 * imported with {@code docker import}. {@code app:A|B|C|D} serve {@code /health} (C does
 * not, so its health check fails) and {@code /release.txt}; {@code nginx:1} is the host's
 * nginx binary with its libraries. Their repository is unique to this test run
 * ({@code gantry-test-<run>/...}), so two runs on one machine never share or delete each
 * other's images; they are removed when the run's JVM exits.
 */
public final class TestImages {
  /** This run's repository namespace. */
  public static final String REPO = "gantry-test-" + Long.toHexString(ProcessHandle.current().pid())
      + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 16));
  public static final String APP = REPO + "/app";
  public static final String DB = REPO + "/db";
  public static final String NGINX = REPO + "/nginx:1";
  private static boolean cleanupRegistered;
  /** Bumped when the images change, so stale ones from an earlier run are rebuilt. */
  private static final String VERSION = "4";
  private static final LocalTarget SH = LocalTarget.thisMachine();

  private TestImages() {}

  /** Builds whatever is missing; fails the test when Docker is not there. */
  public static synchronized void ensure() {
    DockerCheck.requireDocker();
    // the swarm is made (if at all) before this run starts a container, never while another run's run
    SwarmLease.holdForThisRun();
    if (!cleanupRegistered) {
      cleanupRegistered = true;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> SH.run(Duration.ofMinutes(2), "sh", "-c",
          "docker images --format '{{.Repository}}:{{.Tag}}' | grep '^" + REPO + "/' | xargs -r docker rmi -f >/dev/null")));
    }
    try {
      for (String rel : List.of("A", "B", "C", "D")) {
        if (!exists(APP + ":" + rel)) {
          buildApp(rel);
        }
        if (!exists(DB + ":" + rel)) {
          buildDb(rel);
        }
      }
      if (!exists(NGINX)) {
        buildNginx();
      }
    } catch (IOException e) {
      throw new IllegalStateException("building test images: " + e.getMessage(), e);
    }
  }

  private static boolean exists(String ref) {
    var r = SH.run(Duration.ofSeconds(30), "docker", "image", "inspect", "--format",
        "{{index .Config.Labels \"dev.gantry.test-image\"}}", ref);
    return r.ok() && r.stdout().strip().equals(VERSION);
  }

  private static Path busyboxRoot() throws IOException {
    Path busybox = Path.of("/bin/busybox");
    if (!Files.exists(busybox) || !SH.run(Duration.ofSeconds(10), "sh", "-c", "ldd /bin/busybox 2>&1 | grep -q 'not a dynamic'").ok()) {
      throw new IllegalStateException("a static /bin/busybox is needed for test images: apt-get install busybox-static");
    }
    Path root = Files.createTempDirectory("gantry-img");
    Files.createDirectories(root.resolve("bin"));
    Files.copy(busybox, root.resolve("bin/busybox"));
    for (String c : List.of("sh", "httpd", "printf", "wget", "cat", "echo", "ls", "date", "sleep", "mkdir", "grep", "awk", "rm", "find",
        "sed", "tr", "touch", "sort", "uniq", "wc", "head", "tail", "true", "false", "env", "test", "[")) {
      Files.createSymbolicLink(root.resolve("bin/" + c), Path.of("busybox"));
    }
    Files.createDirectories(root.resolve("tmp"));
    Files.createDirectories(root.resolve("data"));
    return root;
  }

  private static void buildApp(String rel) throws IOException {
    Path root = busyboxRoot();
    Files.createDirectories(root.resolve("www"));
    Files.writeString(root.resolve("www/release.txt"), rel + "\n");
    Files.writeString(root.resolve("www/index.html"), "<h1>app release " + rel + "</h1>\n");
    if (!rel.equals("C")) {
      Files.writeString(root.resolve("www/health"), "ok " + rel + "\n");
    }
    // a request that takes five seconds, to see that a switch lets it finish
    Files.createDirectories(root.resolve("www/cgi-bin"));
    Files.writeString(root.resolve("www/cgi-bin/slow"), """
        #!/bin/sh
        sleep 5
        printf 'Content-Type: text/plain\\r\\n\\r\\nslow %s\\n'
        """.formatted(rel));
    root.resolve("www/cgi-bin/slow").toFile().setExecutable(true);
    Files.writeString(root.resolve("bin/start"), """
        #!/bin/sh
        mkdir -p /data/events
        echo "$(date +%%s) started %s" >> /data/events/starts.log
        # PID 1 ignores SIGTERM unless it traps it: stop promptly like a real service
        trap 'kill $child; exit 0' TERM INT
        httpd -f -p 8080 -h /www & child=$!
        wait $child
        """.formatted(rel));
    root.resolve("bin/start").toFile().setExecutable(true);
    importImage(root, APP + ":" + rel, "[\"/bin/start\"]");
  }

  private static void buildDb(String rel) throws IOException {
    Path root = busyboxRoot();
    Files.createDirectories(root.resolve("www"));
    Files.writeString(root.resolve("www/health"), "db ok " + rel + "\n");
    Files.writeString(root.resolve("bin/start"), """
        #!/bin/sh
        mkdir -p /var/lib/db
        echo "db %s" > /var/lib/db/last-start
        trap 'kill $child; exit 0' TERM INT
        httpd -f -p 7000 -h /www & child=$!
        wait $child
        """.formatted(rel));
    root.resolve("bin/start").toFile().setExecutable(true);
    importImage(root, DB + ":" + rel, "[\"/bin/start\"]");
  }

  private static void buildNginx() throws IOException {
    Path root = busyboxRoot();
    ProcessResult ldd = SH.run(Duration.ofSeconds(10), "ldd", "/usr/sbin/nginx").requireOk("ldd nginx");
    Files.createDirectories(root.resolve("usr/sbin"));
    Files.copy(Path.of("/usr/sbin/nginx"), root.resolve("usr/sbin/nginx"));
    for (String line : ldd.stdout().lines().toList()) {
      String lib = null;
      if (line.contains("=>")) {
        String[] p = line.split("=>")[1].trim().split(" ");
        lib = p[0];
      } else if (line.trim().startsWith("/")) {
        lib = line.trim().split(" ")[0];
      }
      if (lib != null && lib.startsWith("/")) {
        Path target = root.resolve(lib.substring(1));
        Files.createDirectories(target.getParent());
        Files.copy(Path.of(lib).toRealPath(), target);
      }
    }
    for (String d : List.of("etc/nginx", "var/lib/nginx", "var/log/nginx", "run", "usr/share/nginx", "var/cache/nginx")) {
      Files.createDirectories(root.resolve(d));
    }
    Files.writeString(root.resolve("etc/passwd"), """
        root:x:0:0:root:/root:/bin/sh
        www-data:x:33:33:www-data:/var/www:/bin/false
        nginx:x:101:101:nginx:/var/cache/nginx:/bin/false
        nobody:x:65534:65534:nobody:/nonexistent:/bin/false
        """);
    Files.writeString(root.resolve("etc/group"), """
        root:x:0:
        www-data:x:33:
        nginx:x:101:
        nogroup:x:65534:
        """);
    Files.writeString(root.resolve("etc/nginx/nginx.conf"), """
        events {}
        http { server { listen 80; location / { return 200 "gantry test nginx\\n"; } } }
        """);
    importImage(root, NGINX, "[\"/usr/sbin/nginx\",\"-g\",\"daemon off;\"]");
  }

  private static void importImage(Path root, String ref, String cmdJson) throws IOException {
    SH.run(Duration.ofMinutes(2), "sh", "-c", "tar -C '" + root + "' -c . | docker import -c 'CMD " + cmdJson + "' -c 'LABEL dev.gantry.test-image=" + VERSION + "' - " + ref)
        .requireOk("importing " + ref);
    SH.run(Duration.ofSeconds(30), "rm", "-rf", root.toString());
  }
}

package dev.gantry.cloud.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Images for a deploy onto a lab machine, made here without any registry and imported into the
 * machine's own Docker over SSH: {@code lab/app:A} (busybox httpd serving {@code /} and
 * {@code /health} on 8080) and {@code lab/nginx:1} (this machine's nginx with its libraries:
 * both are Debian 12).
 */
final class LabImages {
  static final String APP = "lab/app";
  static final String NGINX = "lab/nginx:1";

  private LabImages() {}

  static void importInto(Path key, String address) throws IOException {
    Path app = busyboxRoot();
    Files.createDirectories(app.resolve("www"));
    Files.writeString(app.resolve("www/index.html"), "<h1>app release A</h1>\n");
    Files.writeString(app.resolve("www/health"), "ok\n");
    load(key, address, app, APP + ":A", "[\"httpd\",\"-f\",\"-p\",\"8080\",\"-h\",\"/www\"]");

    Path nginx = busyboxRoot();
    String libs = sh("ldd /usr/sbin/nginx | grep -o '/[^ ]*' | sort -u");
    for (String lib : (libs + "\n/usr/sbin/nginx").lines().filter(l -> !l.isBlank()).toList()) {
      Path target = nginx.resolve(lib.substring(1));
      Files.createDirectories(target.getParent());
      Files.copy(Path.of(lib).toRealPath(), target);
    }
    for (String d : List.of("etc/nginx", "var/lib/nginx", "var/log/nginx", "run", "var/cache/nginx")) {
      Files.createDirectories(nginx.resolve(d));
    }
    // the generated configuration runs nginx as the user nginx
    Files.writeString(nginx.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnginx:x:101:101::/var/cache/nginx:/bin/false\n"
        + "nobody:x:65534:65534::/nonexistent:/bin/false\n");
    Files.writeString(nginx.resolve("etc/group"), "root:x:0:\nnginx:x:101:\nnogroup:x:65534:\n");
    Files.writeString(nginx.resolve("etc/nginx/nginx.conf"), "events {}\nhttp { server { listen 80; } }\n");
    load(key, address, nginx, NGINX, "[\"/usr/sbin/nginx\",\"-g\",\"daemon off;\"]");
  }

  /** A root with a static busybox and the applets a service and a health check use. */
  private static Path busyboxRoot() throws IOException {
    Path root = Files.createTempDirectory("gantry-lab-image");
    Files.createDirectories(root.resolve("bin"));
    Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
    for (String applet : List.of("sh", "httpd", "wget", "cat", "echo", "sleep", "mkdir", "true", "test")) {
      Files.createSymbolicLink(root.resolve("bin/" + applet), Path.of("busybox"));
    }
    Files.createDirectories(root.resolve("tmp"));
    return root;
  }

  private static void load(Path key, String address, Path root, String ref, String cmdJson) {
    sh("tar -C '" + root + "' -c . | ssh -i '" + key + "' -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "
        + "-o BatchMode=yes -o LogLevel=ERROR root@" + address + " \"docker import -c 'CMD " + cmdJson.replace("\"", "\\\"")
        + "' - " + ref + " >/dev/null\" && rm -rf '" + root + "'");
  }

  private static String sh(String script) {
    ProcessResult r = Command.of("sh", "-c", script).timeout(Duration.ofMinutes(2)).run();
    assertThat(r.exitCode()).as(script + ": " + r.stderr()).isZero();
    return r.stdout();
  }
}

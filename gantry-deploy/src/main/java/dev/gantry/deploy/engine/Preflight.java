package dev.gantry.deploy.engine;

import dev.gantry.core.UserError;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.exec.ExecResult;
import dev.gantry.deploy.generate.GeneratedFile;
import dev.gantry.deploy.generate.SystemFiles;
import dev.gantry.deploy.layout.Layout;
import dev.gantry.deploy.model.Frontend;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.Service;
import dev.gantry.deploy.model.Site;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.runtime.ContainerRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks before anything changes on a host: the engine answers, every image is there, the
 * generated compose (or stack) file passes the runtime's own check, and the nginx
 * configuration passes {@code nginx -t} in the front-end image itself.
 */
final class Preflight {
  private Preflight() {}

  /** Service name to image reference, front end included. */
  static Map<String, String> images(GantrySystem system, Release release) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Service s : system.services()) {
      out.put(s.name(), release.image(s));
    }
    system.frontend().ifPresent(f -> out.put(Frontend.SERVICE, f.image()));
    return out;
  }

  static void run(GantrySystem system, Release release, Docker docker, ContainerRuntime runtime, Layout layout,
      List<GeneratedFile> files, SystemFolder folder) {
    docker.requireEngine();
    List<String> missing = new ArrayList<>();
    images(system, release).forEach((svc, img) -> {
      if (!docker.imageExists(img)) {
        missing.add(img + " (service " + svc + ")");
      }
    });
    if (!missing.isEmpty()) {
      throw new UserError("system '" + system.name() + "' release " + release.label() + ": image(s) missing on "
          + docker.executor().describe() + ": " + String.join(", ", missing)
          + "; build or pull them there first (nothing was changed)");
    }
    String staging = folder.stage(files);
    try {
      runtime.check(layout, staging);
      if (system.frontend().isPresent()) {
        checkNginx(system.frontend().get(), docker, staging + "/" + SystemFiles.NGINX);
      }
    } finally {
      folder.discard(staging);
    }
  }

  private static void checkNginx(Frontend f, Docker docker, String conf) {
    List<String> argv = new ArrayList<>(List.of("docker", "run", "--rm", "--network", "none", "--entrypoint", "nginx",
        "-v", conf + ":/etc/nginx/nginx.conf:ro"));
    for (Site s : f.sites()) {
      s.tls().ifPresent(t -> {
        argv.addAll(List.of("-v", t.certificate() + ":" + t.certificate() + ":ro"));
        argv.addAll(List.of("-v", t.key() + ":" + t.key() + ":ro"));
      });
    }
    argv.addAll(List.of(f.image(), "-t", "-c", "/etc/nginx/nginx.conf"));
    ExecResult r = docker.executor().run(argv, Duration.ofSeconds(60));
    if (!r.ok()) {
      throw new UserError("the generated nginx configuration fails `nginx -t` in " + f.image() + " (nothing was changed):\n"
          + r.tail());
    }
  }
}

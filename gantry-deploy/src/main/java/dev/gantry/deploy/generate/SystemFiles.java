package dev.gantry.deploy.generate;

import dev.gantry.core.UserError;
import dev.gantry.deploy.layout.Layout;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.Service;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.secrets.SecretSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every file a system needs in its folder on a host at a release: the compose (or stack)
 * file, the front's nginx configuration in {@code front/}, and one env file per service
 * with secrets.
 *
 * <pre>{@code
 * SystemFiles.Generated g = SystemFiles.generate(system, release, layout, false, vault::secret);
 * g.files();               // compose.yml, front/nginx.conf, secrets/db.env
 * g.model().names();       // the compose service name of each service
 * }</pre>
 */
public final class SystemFiles {
  public static final String COMPOSE = "compose.yml";
  public static final String STACK = "stack.yml";
  /** The front's folder, mounted into its container. */
  public static final String FRONT_DIR = "front";
  public static final String NGINX = FRONT_DIR + "/nginx.conf";

  private SystemFiles() {}

  /** The files and the compose model they were made from. */
  public record Generated(List<GeneratedFile> files, ComposeGenerator.Model model) {
    public Generated {
      files = List.copyOf(files);
    }

    /** The same files with the front's configuration replaced by {@code nginxConf}. */
    public List<GeneratedFile> withNginx(String nginxConf) {
      return files.stream().map(f -> f.relativePath().equals(NGINX) ? new GeneratedFile(NGINX, nginxConf, false) : f).toList();
    }
  }

  public static Generated generate(GantrySystem system, Release release, Layout layout, boolean swarm, SecretSource secrets) {
    List<GeneratedFile> out = new ArrayList<>();
    ComposeGenerator.Model model = ComposeGenerator.model(system, release, layout, swarm);
    out.add(new GeneratedFile(swarm ? STACK : COMPOSE, model.text(system, release), false));
    if (system.frontend().isPresent()) {
      out.add(new GeneratedFile(NGINX, NginxGenerator.config(system, release.label(), model.names()), false));
    }
    for (Service s : system.services()) {
      if (!s.secrets().isEmpty()) {
        out.add(new GeneratedFile("secrets/" + s.name() + ".env", envFile(system, s, secrets), true));
      }
    }
    return new Generated(out, model);
  }
  private static String envFile(GantrySystem system, Service s, SecretSource secrets) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : s.secrets().entrySet()) {
      String value = secrets.secret(e.getValue()).orElseThrow(() -> new UserError("system '" + system.name()
          + "', service '" + s.name() + "': secret " + e.getKey() + " needs vault entry '" + e.getValue()
          + "', which the vault does not have"));
      if (value.contains("\n") || value.contains("\r")) {
        throw new UserError("system '" + system.name() + "', service '" + s.name() + "': vault entry '"
            + e.getValue() + "' spans several lines, which an env file cannot hold");
      }
      b.append(e.getKey()).append('=').append(value).append('\n');
    }
    return b.toString();
  }
}

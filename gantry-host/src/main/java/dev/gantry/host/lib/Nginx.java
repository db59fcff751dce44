package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.definition.Names;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.text.UnifiedDiff;
import dev.gantry.host.property.Check;
import dev.gantry.host.property.Info;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.PropertyFailure;
import dev.gantry.host.property.Props;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nginx sites: the configuration in {@code sites-available}, enabled by a link, accepted
 * by {@code nginx -t} before it is kept. Reload with {@code .onChange(Systemd.reloaded("nginx"))}.
 *
 * <pre>{@code
 * Nginx.site("app", "server { listen 80; location / { proxy_pass http://127.0.0.1:8080; } }\n")
 * }</pre>
 */
public final class Nginx {
  private static final Pattern LISTEN = Pattern.compile("listen\\s+(?:[^;\\s]*:)?(\\d+)");

  private Nginx() {}

  public static Property site(String name, String config) {
    Names.require("nginx site", name);
    String available = "/etc/nginx/sites-available/" + name;
    Property conf = Props.checked("nginx site " + name + " configured", ctx -> {
      String old = ctx.target().readText(available).orElse(null);
      return config.equals(old) ? Check.holds()
          : Check.change((old == null ? "create " : "update ") + available, UnifiedDiff.of(available, old, config));
    }, (ctx, c) -> writeValidated(ctx.target(), available, config));
    List<Info> infos = new ArrayList<>();
    Matcher m = LISTEN.matcher(config);
    while (m.find()) {
      infos.add(new Info.PortOpened(Integer.parseInt(m.group(1)), "tcp"));
    }
    infos.add(new Info.ServiceMonitored("nginx"));
    return Props.withInfo(Props.sequence("nginx site " + name,
        Apt.installed("nginx"), conf,
        File.symlink("/etc/nginx/sites-enabled/" + name, "../sites-available/" + name)), infos.toArray(Info[]::new));
  }

  private static void writeValidated(Target t, String path, String config) {
    Optional<byte[]> old = t.read(path);
    t.write(path, config.getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0644));
    // the site is checked inside the main configuration, alone in place of the enabled sites
    String probe = "/etc/nginx/.gantry-check.conf";
    String mainConf = t.readText("/etc/nginx/nginx.conf").orElse("");
    String include = "include /etc/nginx/sites-enabled/*;";
    ProcessResult r;
    if (mainConf.contains(include)) {
      t.write(probe, mainConf.replace(include, "include " + path + ";").getBytes(StandardCharsets.UTF_8),
          FileAttrs.mode(0600));
      r = t.run("nginx", "-t", "-q", "-c", probe);
      t.run("rm", "-f", probe);
    } else {
      r = t.run("nginx", "-t", "-q");
    }
    if (!r.ok()) {
      if (old.isPresent()) {
        t.write(path, old.get(), FileAttrs.KEEP);
      } else {
        t.run("rm", "-f", path);
      }
      throw new PropertyFailure("nginx -t rejects site " + path + " (kept the previous configuration): "
          + r.tail());
    }
  }
}

package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.definition.Names;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.host.property.Check;
import dev.gantry.host.property.Context;
import dev.gantry.host.property.Effect;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.Props;
import dev.gantry.host.property.Revertable;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian packages with apt. Installs skip recommended packages, so what lands on the host
 * is what the definition names; configuration files changed locally are kept.
 *
 * <pre>{@code
 * Apt.updated(), Apt.installed("git", "curl"), Apt.removed("exim4"), Apt.unattendedUpgrades()
 * }</pre>
 */
public final class Apt {
  /** The stamp {@link #updated()} leaves after a successful {@code apt-get update}. */
  public static final String UPDATE_STAMP = "/var/lib/gantry/apt-updated";
  private static final Pattern PKG = Pattern.compile("[a-z0-9][a-z0-9+.:-]*");
  private static final Pattern SUMMARY = Pattern.compile("(\\d+) upgraded, (\\d+) newly installed, (\\d+) to remove");
  private static final List<String> APT = List.of("apt-get", "-y", "-q",
      "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold");

  private Apt() {}

  /** The packages are installed (revert: removed). */
  public static Revertable installed(String... packages) {
    List<String> pkgs = names(packages);
    Property install = Props.checked("apt installed " + String.join(" ", pkgs), ctx -> {
      List<String> missing = notInstalled(ctx.target(), pkgs);
      return missing.isEmpty() ? Check.holds() : installable(ctx, missing);
    }, (ctx, c) -> {
      List<String> cmd = new ArrayList<>(APT);
      cmd.addAll(List.of("install", "--no-install-recommends"));
      cmd.addAll(notInstalled(ctx.target(), pkgs));
      Run.must(ctx.target(), cmd, null);
    });
    return Props.revertable(install, () -> removedProperty(pkgs));
  }

  /** The packages are not installed (their configuration files may stay). */
  public static Revertable removed(String... packages) {
    List<String> pkgs = names(packages);
    return Props.revertable(removedProperty(pkgs), () -> installed(packages));
  }

  private static Property removedProperty(List<String> pkgs) {
    return Props.checked("apt removed " + String.join(" ", pkgs), ctx -> {
      List<String> present = installedOf(ctx.target(), pkgs);
      return Check.holdsIf(present.isEmpty(), "remove " + String.join(" ", present));
    }, (ctx, c) -> {
      List<String> cmd = new ArrayList<>(APT);
      cmd.add("remove");
      cmd.addAll(installedOf(ctx.target(), pkgs));
      Run.must(ctx.target(), cmd, null);
    });
  }

  /**
   * Whether apt could install {@code pkgs} now: its own simulation ({@code apt-get -s}),
   * which knows the sources, candidates and dependencies. When the lists change before
   * (an update or a new source above, in a dry run) the answer waits for that change.
   */
  private static Check installable(Context ctx, List<String> pkgs) {
    Check.Change change = Check.change("install " + String.join(" ", pkgs)).with(new Effect.PackagesInstalled(pkgs));
    List<String> cmd = new ArrayList<>(List.of("apt-get", "-s", "-q", "-o", "Debug::NoLocking=1", "install",
        "--no-install-recommends"));
    cmd.addAll(pkgs);
    ProcessResult r = ctx.target().run(cmd, null);
    if (r.ok()) {
      return change;
    }
    if (ctx.foresight().packageListsChange()) {
      return new Check.Change(change.summary() + " (apt cannot install it from the lists it has now; known after"
          + " the package lists are updated above)", "", change.effects());
    }
    List<String> errors = (r.stdout() + "\n" + r.stderr()).lines()
        .filter(l -> l.startsWith("E: ") || l.contains("has no installation candidate") || l.contains(" : Depends: "))
        .map(String::strip).distinct().toList();
    return Check.fails("apt cannot install " + String.join(" ", pkgs) + " on " + ctx.hostName() + ": "
        + (errors.isEmpty() ? r.tail() : String.join("; ", errors)));
  }

  /** The package lists were updated within the last day and after the last change of the sources. */
  public static Property updated() {
    return updated(Duration.ofDays(1));
  }

  /** The package lists are at most {@code maxAge} old and newer than the sources. */
  public static Property updated(Duration maxAge) {
    return Props.checked("apt package lists updated (at most " + maxAge + " old)", ctx -> {
      ProcessResult r = ctx.target().sh("stat -c %Y " + UPDATE_STAMP + " 2>/dev/null || echo 0; "
          + "find /etc/apt/sources.list /etc/apt/sources.list.d -newer " + UPDATE_STAMP + " 2>/dev/null | head -n1");
      String[] lines = r.stdout().strip().split("\n");
      long stamp = Long.parseLong(lines[0].strip());
      boolean sourcesChanged = lines.length > 1 && !lines[1].isBlank();
      long age = ctx.clock().instant().getEpochSecond() - stamp;
      Effect updated = new Effect.PackageListsUpdated();
      if (stamp == 0) {
        return Check.change("apt-get update (never run by gantry)").with(updated);
      }
      if (sourcesChanged) {
        return Check.change("apt-get update (" + lines[1].strip() + " changed)").with(updated);
      }
      return age <= maxAge.toSeconds() ? Check.holds()
          : Check.change("apt-get update (lists " + Duration.ofSeconds(age) + " old)").with(updated);
    }, (ctx, c) -> {
      List<String> cmd = new ArrayList<>(APT);
      cmd.add("update");
      Run.must(ctx.target(), cmd, null);
      Run.must(ctx.target(), "mkdir", "-p", "/var/lib/gantry");
      ctx.target().write(UPDATE_STAMP, new byte[0], FileAttrs.mode(0644));
    });
  }

  /** Every installed package is at its candidate version ({@code apt-get dist-upgrade}). */
  public static Property upgraded() {
    return Props.checked("apt packages upgraded", ctx -> {
      int pending = pendingUpgrades(ctx);
      return Check.holdsIf(pending == 0, "upgrade " + pending + " packages");
    }, (ctx, c) -> {
      List<String> cmd = new ArrayList<>(APT);
      cmd.add("dist-upgrade");
      Run.must(ctx.target(), cmd, null);
    });
  }

  /** Security updates are installed automatically every day. */
  public static Property unattendedUpgrades() {
    return Props.sequence("unattended upgrades enabled",
        installed("unattended-upgrades"),
        File.hasContent("/etc/apt/apt.conf.d/20auto-upgrades",
            "APT::Periodic::Update-Package-Lists \"1\";\nAPT::Periodic::Unattended-Upgrade \"1\";\n",
            FileAttrs.mode(0644)));
  }

  /**
   * An apt source in {@code /etc/apt/sources.list.d/NAME.list}, e.g.
   * {@code "deb [signed-by=/etc/apt/keyrings/x.asc] https://example.org/debian bookworm main"};
   * the next {@link #updated()} sees the change and updates.
   */
  public static Revertable source(String name, String line) {
    Names.require("apt source", name);
    return File.hasContent("/etc/apt/sources.list.d/" + name + ".list", line.strip() + "\n", FileAttrs.mode(0644));
  }

  private static int pendingUpgrades(Context ctx) {
    ProcessResult r = Run.must(ctx.target(), "apt-get", "-s", "-o", "Debug::NoLocking=1", "dist-upgrade");
    Matcher m = SUMMARY.matcher(r.stdout());
    if (!m.find()) {
      return 0;
    }
    return Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2)) + Integer.parseInt(m.group(3));
  }

  static List<String> notInstalled(Target t, List<String> pkgs) {
    Map<String, Boolean> state = state(t, pkgs);
    return pkgs.stream().filter(p -> !state.getOrDefault(p, false)).toList();
  }

  static List<String> installedOf(Target t, List<String> pkgs) {
    Map<String, Boolean> state = state(t, pkgs);
    return pkgs.stream().filter(p -> state.getOrDefault(p, false)).toList();
  }

  /** Package name to "installed" ({@code ii}), from one dpkg-query. */
  private static Map<String, Boolean> state(Target t, List<String> pkgs) {
    List<String> cmd = new ArrayList<>(List.of("dpkg-query", "-W", "-f", "${Package} ${db:Status-Abbrev}\\n"));
    cmd.addAll(pkgs);
    ProcessResult r = t.run(cmd, null);
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (String line : r.stdout().split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length >= 2) {
        String name = f[0].contains(":") ? f[0].substring(0, f[0].indexOf(':')) : f[0];
        out.merge(name, f[1].startsWith("ii"), Boolean::logicalOr);
      }
    }
    return out;
  }

  private static List<String> names(String... packages) {
    if (packages.length == 0) {
      throw new DefinitionError("name at least one package");
    }
    for (String p : packages) {
      if (p == null || !PKG.matcher(p).matches()) {
        throw new DefinitionError("'" + p + "' is not a Debian package name");
      }
    }
    return List.of(packages);
  }
}

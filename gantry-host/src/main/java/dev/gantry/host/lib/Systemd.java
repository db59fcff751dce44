package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.host.property.Check;
import dev.gantry.host.property.Context;
import dev.gantry.host.property.Info;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.PropertyFailure;
import dev.gantry.host.property.Props;
import dev.gantry.host.property.Result;
import dev.gantry.host.property.Revertable;
import dev.gantry.core.target.FileAttrs;
import java.util.ArrayList;
import java.util.List;

/**
 * systemd units. Enabling works on any root filesystem (offline with {@code --root=/} when
 * systemd is not running, e.g. an image being prepared); starting, restarting and reloading
 * need a running systemd and fail with that reason otherwise.
 *
 * <pre>{@code
 * Systemd.unit("app.service", unitText).onChange(Systemd.restarted("app")),
 * Systemd.enabled("app"), Systemd.started("app")
 * }</pre>
 */
public final class Systemd {
  private Systemd() {}

  /** The unit starts at boot (revert: disabled). */
  public static Revertable enabled(String unit) {
    requireUnit(unit);
    return Props.revertable(Props.withInfo(enablement(unit, true), new Info.ServiceMonitored(unit)),
        enablement(unit, false));
  }

  /** The unit does not start at boot. */
  public static Revertable disabled(String unit) {
    return (Revertable) enabled(unit).revert();
  }

  private static Property enablement(String unit, boolean enable) {
    return Props.checked("systemd unit " + unit + (enable ? " enabled" : " disabled"), ctx -> {
      ProcessResult r = ctx.target().run(systemctl(ctx, "is-enabled", unit), null);
      String state = r.stdout().strip();
      if (state.isEmpty() && r.stderr().contains("No such file")) {
        return missingUnit(ctx, unit, "systemctl " + (enable ? "enable " : "disable ") + unit);
      }
      if (state.isEmpty() && !r.stderr().isBlank()) {
        throw new PropertyFailure("systemctl is-enabled " + unit + ": " + r.tail());
      }
      boolean isEnabled = state.equals("enabled") || state.equals("enabled-runtime") || state.equals("alias");
      return Check.holdsIf(isEnabled == enable, "systemctl " + (enable ? "enable " : "disable ") + unit
          + " (now " + state + ")");
    }, (ctx, c) -> Run.must(ctx.target(), systemctl(ctx, enable ? "enable" : "disable", unit), null));
  }

  /** The unit is running now. */
  public static Property started(String unit) {
    requireUnit(unit);
    return requiringSystemd(Props.checked("systemd unit " + unit + " started", ctx -> {
      if (ctx.target().run("systemctl", "is-active", "--quiet", unit).ok()) {
        return Check.holds();
      }
      String load = ctx.target().run("systemctl", "show", "-p", "LoadState", "--value", unit).stdout().strip();
      return load.equals("not-found") ? missingUnit(ctx, unit, "systemctl start " + unit)
          : Check.change("systemctl start " + unit);
    }, (ctx, c) -> Run.must(ctx.target(), "systemctl", "start", unit)));
  }

  /** Restarts the unit each time it is applied; meant for {@code onChange}. */
  public static Property restarted(String unit) {
    requireUnit(unit);
    return requiringSystemd(Cmd.run("systemd unit " + unit + " restarted", "systemctl", "restart", unit));
  }

  /** Reloads the unit each time it is applied; meant for {@code onChange}. */
  public static Property reloaded(String unit) {
    requireUnit(unit);
    return requiringSystemd(Cmd.run("systemd unit " + unit + " reloaded", "systemctl", "reload-or-restart", unit));
  }

  /** A unit file in /etc/systemd/system; a running systemd reloads its configuration after a change. */
  public static Property unit(String name, String content) {
    requireUnit(name);
    Property file = File.hasContent("/etc/systemd/system/" + name, content, FileAttrs.mode(0644));
    return file.onChange(new Property() {
      @Override
      public String describe() {
        return "systemd configuration reloaded";
      }

      @Override
      public Result apply(Context ctx) {
        return Props.safely(describe(), () -> {
          if (!Run.systemdRunning(ctx.target())) {
            return Result.noChange();
          }
          Run.must(ctx.target(), "systemctl", "daemon-reload");
          return Result.madeChange("systemctl daemon-reload");
        });
      }
    });
  }

  /** A unit the host does not have: a change when a property above writes it or installs packages, else a failure. */
  private static Check missingUnit(Context ctx, String unit, String summary) {
    String file = unit.contains(".") ? unit : unit + ".service";
    boolean written = List.of("/etc/systemd/system/", "/lib/systemd/system/", "/usr/lib/systemd/system/").stream()
        .anyMatch(dir -> ctx.foresight().fileWillExist(dir + file));
    if (written) {
      return Check.change(summary + " (its unit file is written above)");
    }
    if (!ctx.foresight().packagesInstalled().isEmpty()) {
      return Check.change(summary + " (if a package installed above brings the unit)");
    }
    return Check.fails("no systemd unit " + file + " on " + ctx.hostName()
        + " (install the package that brings it, or declare Systemd.unit(\"" + file + "\", ...), before it)");
  }

  /** Fails {@code p} with a clear reason when systemd is not the running init on the target. */
  static Property requiringSystemd(Property p) {
    return new Property() {
      @Override
      public String describe() {
        return p.describe();
      }

      @Override
      public List<Info> info() {
        return p.info();
      }

      @Override
      public Result apply(Context ctx) {
        if (!Run.systemdRunning(ctx.target())) {
          String why = p.describe() + ": systemd is not running on " + ctx.hostName()
              + " (no /run/systemd/system; PID 1 is not systemd), so nothing can be started there";
          return ctx.dryRun() ? Result.wouldFail(why) : Result.failed(why);
        }
        return Props.applySafely(p, ctx);
      }
    };
  }

  private static List<String> systemctl(Context ctx, String verb, String unit) {
    List<String> cmd = new ArrayList<>(List.of("systemctl"));
    if (!Run.systemdRunning(ctx.target())) {
      cmd.add("--root=/");
    }
    cmd.add(verb);
    cmd.add(unit);
    return cmd;
  }

  static String requireUnit(String unit) {
    if (unit == null || !unit.matches("[A-Za-z0-9:_.@-]+")) {
      throw new DefinitionError("'" + unit + "' is not a systemd unit name");
    }
    return unit;
  }
}

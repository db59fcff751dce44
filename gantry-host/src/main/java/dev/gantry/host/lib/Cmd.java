package dev.gantry.host.lib;

import dev.gantry.host.property.Check;
import dev.gantry.host.property.CheckedProperty;
import dev.gantry.host.property.Context;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.Result;
import dev.gantry.host.property.Props;
import java.util.List;

/**
 * Properties made of commands: an action that always runs (for {@code onChange}), and a
 * check script paired with a fix script.
 *
 * <pre>{@code
 * File.hasContent("/etc/app.conf", conf).onChange(Cmd.run("app reloaded", "pkill", "-HUP", "app"));
 * Cmd.scripted("swap tuned", "grep -q 10 /proc/sys/vm/swappiness", "sysctl -w vm.swappiness=10");
 * }</pre>
 */
public final class Cmd {
  private Cmd() {}

  /** Runs {@code argv} every time it is applied: made-change, or failed with its error. */
  public static Property run(String description, String... argv) {
    List<String> cmd = List.of(argv);
    return new Property() {
      @Override
      public String describe() {
        return description;
      }

      @Override
      public Result apply(Context ctx) {
        return Props.safely(description, () -> {
          if (ctx.dryRun()) {
            return Result.wouldChange("would run: " + String.join(" ", cmd), "");
          }
          Run.must(ctx.target(), cmd, null);
          return Result.madeChange("ran " + String.join(" ", cmd));
        });
      }
    };
  }

  /** Holds when {@code check} (a sh script) exits 0; otherwise runs {@code fix} (a sh script). */
  public static Property scripted(String description, String check, String fix) {
    return new CheckedProperty() {
      @Override
      public String describe() {
        return description;
      }

      @Override
      protected Check check(Context ctx) {
        return Check.holdsIf(ctx.target().sh(check).ok(), "run: " + fix);
      }

      @Override
      protected void fix(Context ctx, Check.Change change) {
        Run.must(ctx.target(), List.of("sh", "-c", fix), null);
      }
    };
  }
}

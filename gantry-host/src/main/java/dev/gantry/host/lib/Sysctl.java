package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.host.property.Context;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.Props;
import dev.gantry.host.property.Result;
import dev.gantry.core.target.FileAttrs;

/**
 * Kernel parameters: a file in {@code /etc/sysctl.d} (applied at boot) and, when the file
 * changes, {@code sysctl -p} on it where the target permits (not in a container or a
 * chroot without /proc: the result message then says it was not applied live).
 *
 * <pre>{@code
 * Sysctl.set("vm.swappiness", "10")
 * }</pre>
 */
public final class Sysctl {
  private Sysctl() {}

  public static Property set(String key, String value) {
    if (!key.matches("[a-z0-9_]+(\\.[a-zA-Z0-9_-]+)+") || value.isBlank() || value.contains("\n")) {
      throw new DefinitionError("sysctl '" + key + " = " + value + "' is not valid");
    }
    String path = "/etc/sysctl.d/60-gantry-" + key + ".conf";
    Property file = File.hasContent(path, key + " = " + value + "\n", FileAttrs.mode(0644));
    return file.onChange(new Property() {
      @Override
      public String describe() {
        return "sysctl " + key + " applied";
      }

      @Override
      public Result apply(Context ctx) {
        return Props.safely(describe(), () -> {
          ProcessResult r = ctx.target().run("sysctl", "-p", path);
          return r.ok() ? Result.madeChange("sysctl -p " + path)
              : Result.madeChange("not applied live (" + r.tail() + "); takes effect at boot");
        });
      }
    }).describedAs("sysctl " + key + " = " + value);
  }
}

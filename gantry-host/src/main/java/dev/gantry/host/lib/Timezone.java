package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.host.property.Check;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.PropertyFailure;
import dev.gantry.host.property.Props;
import dev.gantry.core.target.FileAttrs;

/**
 * The system time zone ({@code /etc/timezone} and the {@code /etc/localtime} link).
 *
 * <pre>{@code
 * Timezone.is("Asia/Singapore")
 * }</pre>
 */
public final class Timezone {
  private Timezone() {}

  public static Property is(String zone) {
    if (!zone.matches("[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*")) {
      throw new DefinitionError("'" + zone + "' is not a time zone name");
    }
    String zoneFile = "/usr/share/zoneinfo/" + zone;
    Property zoneKnown = Props.checked("time zone " + zone + " known", ctx -> {
      if (!ctx.target().exists(zoneFile)) {
        throw new PropertyFailure("time zone " + zone + " is unknown on " + ctx.target().name()
            + " (no " + zoneFile + "; is tzdata installed?)");
      }
      return Check.holds();
    }, (ctx, c) -> { });
    return Props.sequence("time zone " + zone, zoneKnown,
        File.hasContent("/etc/timezone", zone + "\n", FileAttrs.mode(0644)),
        File.symlink("/etc/localtime", zoneFile));
  }
}

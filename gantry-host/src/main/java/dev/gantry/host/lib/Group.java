package dev.gantry.host.lib;

import dev.gantry.host.property.Check;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.Props;

/**
 * Local groups.
 *
 * <pre>{@code
 * Group.exists("deploy")
 * }</pre>
 */
public final class Group {
  private Group() {}

  /** The group exists. */
  public static Property exists(String name) {
    requireName(name);
    return Props.checked("group " + name + " exists", ctx ->
        Check.holdsIf(ctx.target().readText("/etc/group").orElse("").lines()
            .anyMatch(l -> l.startsWith(name + ":")), "groupadd " + name),
        (ctx, c) -> Run.must(ctx.target(), "groupadd", name));
  }

  static String requireName(String name) {
    if (name == null || !name.matches("[a-z_][a-z0-9_-]{0,31}")) {
      throw new IllegalArgumentException("'" + name + "' is not a valid group name");
    }
    return name;
  }
}

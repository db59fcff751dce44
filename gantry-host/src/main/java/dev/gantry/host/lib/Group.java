package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.host.property.Check;
import dev.gantry.host.property.Effect;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.Props;
import dev.gantry.core.target.Target;

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
    return Props.checked("group " + name + " exists", ctx -> present(ctx.target(), name) ? Check.holds()
            : Check.change("groupadd " + name).with(new Effect.GroupCreated(name)),
        (ctx, c) -> Run.must(ctx.target(), "groupadd", name));
  }

  /** Whether the target's {@code /etc/group} has the group. */
  static boolean present(Target t, String name) {
    return t.readText("/etc/group").orElse("").lines().anyMatch(l -> l.startsWith(name + ":"));
  }

  static String requireName(String name) {
    if (name == null || !name.matches("[a-z_][a-z0-9_-]{0,31}")) {
      throw new DefinitionError("'" + name + "' is not a valid group name");
    }
    return name;
  }
}

package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.host.property.Check;
import dev.gantry.host.property.Effect;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.PropertyFailure;
import dev.gantry.host.property.Props;
import dev.gantry.host.property.Revertable;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.Target;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Local user accounts.
 *
 * <pre>{@code
 * User.exists("deploy"), User.inGroup("deploy", "docker"), User.hasSudo("deploy")
 * }</pre>
 */
public final class User {
  private User() {}

  /** The account exists with a home directory and bash as its shell (revert: removed). */
  public static Revertable exists(String name) {
    requireName(name);
    Property add = Props.checked("user " + name + " exists", ctx -> passwdEntry(ctx.target(), name).isPresent()
            ? Check.holds() : Check.change("useradd " + name).with(new Effect.UserCreated(name)),
        (ctx, c) -> Run.must(ctx.target(), "useradd", "--create-home", "--shell", "/bin/bash", name));
    Property del = Props.checked("user " + name + " absent", ctx ->
        Check.holdsIf(passwdEntry(ctx.target(), name).isEmpty(), "userdel " + name),
        (ctx, c) -> Run.must(ctx.target(), "userdel", name));
    return Props.revertable(add, del);
  }

  /** The user is a member of the group (both must exist). */
  public static Property inGroup(String user, String group) {
    requireName(user);
    Group.requireName(group);
    return Props.checked("user " + user + " in group " + group, ctx -> {
      String action = "add user '" + user + "' to group '" + group + "'";
      Optional<String> unknown = Precheck.unknownUser(ctx, user, action)
          .or(() -> Precheck.unknownGroup(ctx, group, action));
      if (unknown.isPresent()) {
        return Check.fails(unknown.get());
      }
      ProcessResult r = ctx.target().run("id", "-nG", user);
      if (!r.ok()) {
        return Check.change("usermod -aG " + group + " " + user + " (after the account is created)");
      }
      return Check.holdsIf(Arrays.asList(r.stdout().strip().split("\\s+")).contains(group),
          "usermod -aG " + group + " " + user);
    }, (ctx, c) -> Run.must(ctx.target(), "usermod", "-aG", group, user));
  }

  /** The user may run anything with sudo without a password (a file in /etc/sudoers.d, checked by visudo). */
  public static Property hasSudo(String user) {
    requireName(user);
    String path = "/etc/sudoers.d/gantry-" + user;
    String line = user + " ALL=(ALL:ALL) NOPASSWD:ALL\n";
    return Props.checked("user " + user + " has password-less sudo", ctx -> {
      Optional<String> have = ctx.target().readText(path);
      boolean modeOk = ctx.target().stat(path).map(s -> s.mode() == 0440).orElse(false);
      return Check.holdsIf(have.isPresent() && have.get().equals(line) && modeOk, "write " + path);
    }, (ctx, c) -> {
      Target t = ctx.target();
      ProcessResult check = t.run(List.of("visudo", "-c", "-q", "-f", "-"), line.getBytes(StandardCharsets.UTF_8));
      if (!check.ok()) {
        throw new PropertyFailure("visudo rejects the sudoers line for " + user + ": " + check.tail());
      }
      t.write(path, line.getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0440).withOwner("root", "root"));
    });
  }

  static Optional<String[]> passwdEntry(Target t, String name) {
    return t.readText("/etc/passwd").flatMap(text -> text.lines()
        .map(l -> l.split(":", -1))
        .filter(f -> f.length >= 7 && f[0].equals(name))
        .findFirst());
  }

  static String requireName(String name) {
    if (name == null || !name.matches("[a-z_][a-z0-9_-]{0,31}")) {
      throw new DefinitionError("'" + name + "' is not a valid user name");
    }
    return name;
  }
}

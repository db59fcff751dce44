package dev.gantry.host.lib;

import dev.gantry.host.property.Context;
import dev.gantry.host.property.Foresight;
import dev.gantry.core.target.FileAttrs;
import java.util.Optional;

/**
 * What the library checks before a change, so that a dry run says "would fail" where the
 * spin would, and a spin fails before touching anything: a missing directory, an unknown
 * owner. Each answer counts what the dry run foresees from the properties before it; what
 * installed packages may bring cannot be known, so it is given the benefit of the doubt.
 */
final class Precheck {
  private Precheck() {}

  /** Why a file cannot be created at {@code path}: its directory does not exist and nothing before creates it. */
  static Optional<String> cannotCreate(Context ctx, String path) {
    String dir = parent(path);
    if (dir == null || ctx.target().exists(dir)) {
      return Optional.empty();
    }
    Foresight f = ctx.foresight();
    if (f.directoryWillExist(dir) || !f.packagesInstalled().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("cannot create " + path + " on " + ctx.hostName() + ": its directory " + dir
        + " does not exist (declare File.directory(\"" + dir + "\") before it)");
  }

  /** Why {@code attrs}' owner or group cannot be given to {@code path}: no such account. */
  static Optional<String> unknownAccount(Context ctx, FileAttrs attrs, String path) {
    return unknownUser(ctx, attrs.owner(), "give " + path + " to user '" + attrs.owner() + "'")
        .or(() -> unknownGroup(ctx, attrs.group(), "give " + path + " to group '" + attrs.group() + "'"));
  }

  /** Why {@code action} (e.g. "give /srv to user 'app'") cannot be done: no such user. */
  static Optional<String> unknownUser(Context ctx, String user, String action) {
    if (user == null || user.matches("\\d+") || User.passwdEntry(ctx.target(), user).isPresent()
        || ctx.foresight().userWillExist(user) || !ctx.foresight().packagesInstalled().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("cannot " + action + ": no such user on " + ctx.hostName()
        + " (declare User.exists(\"" + user + "\") before it)");
  }

  /** Why {@code action} cannot be done: no such group. */
  static Optional<String> unknownGroup(Context ctx, String group, String action) {
    if (group == null || group.matches("\\d+") || Group.present(ctx.target(), group)
        || ctx.foresight().groupWillExist(group) || !ctx.foresight().packagesInstalled().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("cannot " + action + ": no such group on " + ctx.hostName()
        + " (declare Group.exists(\"" + group + "\") before it)");
  }

  /** The directory holding {@code path}, or null for the root. */
  static String parent(String path) {
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    int slash = p.lastIndexOf('/');
    if (slash < 0) {
      return null;
    }
    return slash == 0 ? (p.length() > 1 ? "/" : null) : p.substring(0, slash);
  }
}

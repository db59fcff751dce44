package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.host.property.Check;
import dev.gantry.host.property.Context;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.PropertyFailure;
import dev.gantry.host.property.Props;
import dev.gantry.host.property.Revertable;
import dev.gantry.core.target.Target;
import java.util.List;

/**
 * git, and repositories checked out at a fixed revision.
 *
 * <pre>{@code
 * Git.installed(),
 * Git.cloned("/srv/app", "https://git.example.com/app.git", "v1.4.2", "deploy")
 * }</pre>
 */
public final class Git {
  private Git() {}

  public static Revertable installed() {
    return Apt.installed("git");
  }

  /**
   * {@code dir} is a clone of {@code url} with {@code revision} (a commit or tag) checked
   * out (detached), owned by {@code owner}. A missing revision is fetched first.
   */
  public static Property cloned(String dir, String url, String revision, String owner) {
    User.requireName(owner);
    if (!revision.matches("[A-Za-z0-9._/-]+") || revision.startsWith("-")) {
      throw new DefinitionError("git revision '" + revision + "' is not valid");
    }
    Property clone = Props.checked("git clone of " + url + " in " + dir + " at " + revision, ctx -> {
      Target t = ctx.target();
      if (!t.exists(dir + "/.git")) {
        return Check.change("git clone " + url + " " + dir + " and check out " + revision);
      }
      String head = git(t, owner, dir, "rev-parse", "--verify", "-q", "HEAD").stdout().strip();
      ProcessResult want = git(t, owner, dir, "rev-parse", "--verify", "-q", revision + "^{commit}");
      if (!want.ok()) {
        return Check.change("fetch and check out " + revision + " in " + dir);
      }
      return Check.holdsIf(head.equals(want.stdout().strip()), "check out " + revision + " in " + dir
          + " (now " + (head.length() > 12 ? head.substring(0, 12) : head) + ")");
    }, (ctx, c) -> fix(ctx, dir, url, revision, owner));
    return Props.sequence(clone.describe(), installed(), clone);
  }

  private static void fix(Context ctx, String dir, String url, String revision, String owner) {
    Target t = ctx.target();
    if (!t.exists(dir + "/.git")) {
      if (t.exists(dir) && !t.run("rmdir", dir).ok()) {
        throw new PropertyFailure("cannot clone into " + dir + ": it exists and is not an empty directory");
      }
      Run.must(t, "install", "-d", "-o", owner, parent(dir));
      mustGit(t, owner, null, "clone", "-q", "--no-checkout", url, dir);
    }
    if (!git(t, owner, dir, "rev-parse", "--verify", "-q", revision + "^{commit}").ok()) {
      mustGit(t, owner, dir, "fetch", "-q", "--tags", "origin");
    }
    mustGit(t, owner, dir, "checkout", "-q", "--detach", revision);
  }

  private static String parent(String dir) {
    int i = dir.lastIndexOf('/');
    return i <= 0 ? "/" : dir.substring(0, i);
  }

  private static ProcessResult git(Target t, String owner, String dir, String... args) {
    return t.run(command(owner, dir, args), null);
  }

  private static void mustGit(Target t, String owner, String dir, String... args) {
    Run.must(t, command(owner, dir, args), null);
  }

  private static List<String> command(String owner, String dir, String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("runuser", "-u", owner, "--", "git"));
    if (dir != null) {
      cmd.addAll(List.of("-C", dir));
    }
    cmd.addAll(List.of(args));
    return cmd;
  }
}

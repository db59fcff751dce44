package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.text.UnifiedDiff;
import dev.gantry.host.property.Check;
import dev.gantry.host.property.Context;
import dev.gantry.host.property.Info;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.PropertyFailure;
import dev.gantry.host.property.Props;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SSH access: authorized keys and sshd settings. Settings go to a drop-in file that
 * {@code sshd -t} must accept before it is kept, so a typo never locks anyone out; sshd
 * reads them on its next reload ({@code .onChange(Systemd.reloaded("ssh"))}).
 *
 * <pre>{@code
 * Ssh.authorizedKey("deploy", "ssh-ed25519 AAAA... alice@laptop"),
 * Ssh.setting("PasswordAuthentication", "no")
 * }</pre>
 */
public final class Ssh {
  /** The drop-in file sshd reads first (first value wins in sshd_config). */
  public static final String DROP_IN = "/etc/ssh/sshd_config.d/00-gantry.conf";

  private Ssh() {}

  /** {@code key} is in the user's {@code ~/.ssh/authorized_keys} (0600, owned by the user). */
  public static Property authorizedKey(String user, String key) {
    User.requireName(user);
    String k = key.strip();
    if (k.isEmpty() || k.contains("\n")) {
      throw new DefinitionError("an authorized key is one non-empty line");
    }
    return Props.checked("ssh key for " + user + " authorized (" + summary(k) + ")", ctx -> {
      String home = home(ctx.target(), user);
      String file = home + "/.ssh/authorized_keys";
      Optional<String> have = ctx.target().readText(file);
      List<String> notes = new ArrayList<>();
      if (have.isEmpty() || have.get().lines().noneMatch(l -> l.strip().equals(k))) {
        notes.add("add key to " + file);
      }
      notes.addAll(File.attrChanges(ctx.target(), file, FileAttrs.mode(0600).withOwner(user, null)));
      return notes.isEmpty() ? Check.holds() : Check.change(String.join(", ", notes));
    }, (ctx, c) -> {
      Target t = ctx.target();
      String home = home(t, user);
      String group = primaryGroup(t, user);
      Run.must(t, "install", "-d", "-m", "0700", "-o", user, "-g", group, home + "/.ssh");
      String file = home + "/.ssh/authorized_keys";
      String have = t.readText(file).orElse("");
      List<String> lines = new ArrayList<>(File.split(have));
      if (lines.stream().noneMatch(l -> l.strip().equals(k))) {
        lines.add(k);
      }
      t.write(file, File.join(lines).getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0600).withOwner(user, group));
    });
  }

  /** sshd uses {@code value} for {@code keyword} (e.g. {@code PasswordAuthentication no}). */
  public static Property setting(String keyword, String value) {
    if (!keyword.matches("[A-Za-z][A-Za-z0-9]*") || value.isBlank() || value.contains("\n")) {
      throw new DefinitionError("sshd setting '" + keyword + " " + value + "' is not valid");
    }
    String line = keyword + " " + value;
    Property p = Props.checked("sshd " + line, ctx -> {
      String old = ctx.target().readText(DROP_IN).orElse(null);
      String want = withSetting(old == null ? "" : old, keyword, line);
      if (want.equals(old)) {
        return Check.holds();
      }
      return Check.change("set " + line + " in " + DROP_IN, UnifiedDiff.of(DROP_IN, old, want));
    }, (ctx, c) -> writeValidated(ctx, keyword, line));
    return keyword.equalsIgnoreCase("Port") ? Props.withInfo(p, new Info.PortOpened(Integer.parseInt(value), "tcp"))
        : p;
  }

  /** No password or keyboard-interactive logins: keys only. */
  public static Property noPasswordLogin() {
    return Props.all("sshd allows keys only",
        setting("PasswordAuthentication", "no"),
        setting("KbdInteractiveAuthentication", "no"));
  }

  private static void writeValidated(Context ctx, String keyword, String line) {
    Target t = ctx.target();
    Optional<byte[]> old = t.read(DROP_IN);
    String want = withSetting(old.map(b -> new String(b, StandardCharsets.UTF_8)).orElse(""), keyword, line);
    Run.must(t, "mkdir", "-p", "/etc/ssh/sshd_config.d");
    t.write(DROP_IN, want.getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0644));
    ProcessResult test = t.run("sshd", "-t");
    if (!test.ok()) {
      if (old.isPresent()) {
        t.write(DROP_IN, old.get(), FileAttrs.KEEP);
      } else {
        t.run("rm", "-f", DROP_IN);
      }
      throw new PropertyFailure("sshd -t rejects '" + line + "' (kept the previous configuration): "
          + test.tail());
    }
  }

  static String withSetting(String text, String keyword, String line) {
    List<String> out = new ArrayList<>();
    boolean placed = false;
    for (String l : File.split(text)) {
      String first = l.strip().split("\\s+")[0];
      if (first.equalsIgnoreCase(keyword)) {
        if (!placed) {
          out.add(line);
          placed = true;
        }
      } else {
        out.add(l);
      }
    }
    if (!placed) {
      out.add(line);
    }
    return File.join(out);
  }

  private static String home(Target t, String user) {
    return User.passwdEntry(t, user).map(f -> f[5])
        .orElseThrow(() -> new PropertyFailure("user " + user + " does not exist on " + t.name()));
  }

  private static String primaryGroup(Target t, String user) {
    String gid = User.passwdEntry(t, user).map(f -> f[3]).orElseThrow();
    return t.readText("/etc/group").orElse("").lines().map(l -> l.split(":", -1))
        .filter(f -> f.length >= 3 && f[2].equals(gid)).map(f -> f[0]).findFirst().orElse(gid);
  }

  private static String summary(String key) {
    String[] f = key.split("\\s+");
    return f.length >= 3 ? f[0] + " " + f[2] : f[0];
  }
}

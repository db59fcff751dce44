package dev.gantry.host.lib;

import dev.gantry.core.text.UnifiedDiff;
import dev.gantry.host.property.Check;
import dev.gantry.host.property.CheckedProperty;
import dev.gantry.host.property.Context;
import dev.gantry.host.property.Effect;
import dev.gantry.host.property.Info;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.PropertyFailure;
import dev.gantry.host.property.Props;
import dev.gantry.host.property.Revertable;
import dev.gantry.host.property.SecretRef;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.FileStat;
import dev.gantry.core.target.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Files, directories and symlinks. Contents are written atomically; a dry run shows a
 * unified diff (never for secrets).
 *
 * <pre>{@code
 * File.hasContent("/etc/motd", "Managed by Gantry\n"),
 * File.containsLines("/etc/environment", "EDITOR=vi"),
 * File.directory("/srv/app", FileAttrs.mode(0750).withOwner("app", "app")),
 * File.symlink("/etc/nginx/sites-enabled/app", "../sites-available/app")
 * }</pre>
 */
public final class File {
  private File() {}

  /** The file has exactly {@code content}; a new file gets 0644 root:root, an existing one keeps its mode. */
  public static Revertable hasContent(String path, String content) {
    return hasContent(path, content, FileAttrs.KEEP);
  }

  /** The file has exactly {@code content} with the given mode and owner. */
  public static Revertable hasContent(String path, String content, FileAttrs attrs) {
    return Props.revertable(new Edit("file " + path + " has the given content", path, attrs, false, old -> content),
        absent(path));
  }

  /** The file holds a vault secret (mode 0600 unless given); its content never shows in a diff. */
  public static Property hasSecret(String path, SecretRef secret, FileAttrs attrs) {
    FileAttrs a = attrs.mode() == null ? new FileAttrs(0600, attrs.owner(), attrs.group()) : attrs;
    return new SecretFile(path, secret, a);
  }

  /** Every line is present in the file (missing ones appended; the file is created if needed). */
  public static Revertable containsLines(String path, String... lines) {
    List<String> want = List.of(lines);
    return Props.revertable(new Edit("file " + path + " contains " + quoted(want), path, FileAttrs.KEEP, false,
        old -> {
          List<String> have = new ArrayList<>(split(old));
          for (String l : want) {
            if (!have.contains(l)) {
              have.add(l);
            }
          }
          return join(have);
        }), () -> lacksLines(path, lines));
  }

  /** None of the lines is in the file (a missing file lacks them too). */
  public static Revertable lacksLines(String path, String... lines) {
    List<String> drop = List.of(lines);
    return Props.revertable(new Edit("file " + path + " lacks " + quoted(drop), path, FileAttrs.KEEP, true,
        old -> {
          List<String> have = new ArrayList<>(split(old));
          have.removeAll(drop);
          return join(have);
        }), () -> containsLines(path, lines));
  }

  /**
   * The file has {@code line} in place of every line matching {@code pattern} (or appended
   * when none matches): a key set to a value in a config file.
   */
  public static Property hasLineMatching(String path, String pattern, String line) {
    Pattern p = Pattern.compile(pattern);
    return new Edit("file " + path + " has '" + line + "'", path, FileAttrs.KEEP, false, old -> {
      List<String> out = new ArrayList<>();
      boolean placed = false;
      for (String l : split(old)) {
        if (p.matcher(l).find()) {
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
      return join(out);
    });
  }

  /** The path has mode {@code mode} (e.g. {@code 0640}). */
  public static Property mode(String path, int mode) {
    return Props.checked("mode of " + path + " is " + String.format("%04o", mode), ctx -> {
      Optional<FileStat> s = ctx.target().stat(path);
      if (s.isEmpty()) {
        return foreseen(ctx, path, "chmod " + String.format("%04o", mode) + " " + path);
      }
      return Check.holdsIf(s.get().mode() == mode,
          "chmod " + s.get().octalMode() + " -> " + String.format("%04o", mode) + " " + path);
    }, (ctx, c) -> Run.must(ctx.target(), "chmod", String.format("%04o", mode), path));
  }

  /** The path belongs to {@code owner}:{@code group}. */
  public static Property ownedBy(String path, String owner, String group) {
    return Props.checked(path + " owned by " + owner + ":" + group, ctx -> {
      Optional<String> unknown = Precheck.unknownAccount(ctx, new FileAttrs(null, owner, group), path);
      if (unknown.isPresent()) {
        return Check.fails(unknown.get());
      }
      Optional<FileStat> s = ctx.target().stat(path);
      if (s.isEmpty()) {
        return foreseen(ctx, path, "chown " + owner + ":" + group + " " + path);
      }
      return Check.holdsIf(s.get().owner().equals(owner) && s.get().group().equals(group),
          "chown " + s.get().owner() + ":" + s.get().group() + " -> " + owner + ":" + group + " " + path);
    }, (ctx, c) -> Run.must(ctx.target(), "chown", "-h", owner + ":" + group, path));
  }

  /** A directory (and its parents) exists. */
  public static Property directory(String path) {
    return directory(path, FileAttrs.KEEP);
  }

  /** A directory exists with the given mode and owner (null fields are not managed). */
  public static Property directory(String path, FileAttrs attrs) {
    return Props.checked("directory " + path, ctx -> {
      Optional<String> unknown = Precheck.unknownAccount(ctx, attrs, path);
      if (unknown.isPresent()) {
        return Check.fails(unknown.get());
      }
      Optional<FileStat> s = ctx.target().stat(path);
      if (s.isEmpty()) {
        return Check.change("mkdir " + path).with(new Effect.DirectoryCreated(path));
      }
      if (!s.get().isDirectory()) {
        throw new PropertyFailure(path + " exists but is not a directory");
      }
      List<String> changes = new ArrayList<>();
      if (attrs.mode() != null && s.get().mode() != attrs.mode()) {
        changes.add("chmod " + String.format("%04o", attrs.mode()));
      }
      if (attrs.owner() != null && !s.get().owner().equals(attrs.owner())
          || attrs.group() != null && !s.get().group().equals(attrs.group())) {
        changes.add("chown " + owner(attrs));
      }
      return changes.isEmpty() ? Check.holds() : Check.change(String.join(", ", changes) + " " + path);
    }, (ctx, c) -> {
      Run.must(ctx.target(), "mkdir", "-p", path);
      if (attrs.mode() != null) {
        Run.must(ctx.target(), "chmod", String.format("%04o", attrs.mode()), path);
      }
      if (attrs.owner() != null || attrs.group() != null) {
        Run.must(ctx.target(), "chown", owner(attrs), path);
      }
    });
  }

  /** {@code link} is a symlink pointing at {@code target} (replacing a different link or file). */
  public static Revertable symlink(String link, String target) {
    return Props.revertable(Props.checked("symlink " + link + " -> " + target, ctx -> {
      Optional<FileStat> s = ctx.target().stat(link);
      if (s.isPresent() && s.get().isSymlink() && target.equals(s.get().linkTarget())) {
        return Check.holds();
      }
      if (s.isPresent() && s.get().isDirectory()) {
        throw new PropertyFailure("cannot make symlink " + link + ": a directory is in the way");
      }
      Optional<String> cannot = Precheck.cannotCreate(ctx, link);
      if (cannot.isPresent()) {
        return Check.fails(cannot.get());
      }
      return Check.change("ln -sfn " + target + " " + link).with(new Effect.FileWritten(link));
    }, (ctx, c) -> Run.must(ctx.target(), "ln", "-sfn", target, link)), absent(link));
  }

  /** Nothing (file or symlink) is at {@code path}; directories are refused. */
  public static Property absent(String path) {
    return Props.checked(path + " absent", ctx -> {
      Optional<FileStat> s = ctx.target().stat(path);
      if (s.isPresent() && s.get().isDirectory()) {
        throw new PropertyFailure("will not remove " + path + ": it is a directory");
      }
      if (s.isPresent() && s.get().isFile()) {
        String old = ctx.target().readText(path).orElse("");
        return Check.change("rm " + path, UnifiedDiff.deleted(path, old));
      }
      return Check.holdsIf(s.isEmpty(), "rm " + path);
    }, (ctx, c) -> Run.must(ctx.target(), "rm", "-f", path));
  }

  private static String owner(FileAttrs a) {
    return (a.owner() == null ? "" : a.owner()) + (a.group() == null ? "" : ":" + a.group());
  }

  /** A change to a path that does not exist yet: fine when a property before creates it, else a failure. */
  private static Check foreseen(Context ctx, String path, String summary) {
    if (ctx.foresight().fileWillExist(path) || ctx.foresight().directoryWillExist(path)) {
      return Check.change(summary + " (after it is created above)");
    }
    return Check.fails(path + " does not exist on " + ctx.hostName());
  }

  private static String quoted(List<String> lines) {
    return lines.size() == 1 ? "'" + lines.get(0) + "'" : lines.size() + " lines";
  }

  static List<String> split(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    String t = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    return Arrays.asList(t.split("\n", -1));
  }

  static String join(List<String> lines) {
    return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
  }

  /** A file whose new content is a function of its old content (empty when missing). */
  static final class Edit extends CheckedProperty {
    private final String description;
    private final String path;
    private final FileAttrs attrs;
    private final boolean missingIsFine;
    private final Function<String, String> edit;

    Edit(String description, String path, FileAttrs attrs, boolean missingIsFine, Function<String, String> edit) {
      this.description = description;
      this.path = path;
      this.attrs = attrs;
      this.missingIsFine = missingIsFine;
      this.edit = edit;
    }

    @Override
    public String describe() {
      return description;
    }

    @Override
    protected Check check(Context ctx) {
      Optional<FileStat> s = ctx.target().stat(path);
      if (s.isEmpty() && missingIsFine) {
        return Check.holds();
      }
      Optional<String> cannot = cannotWrite(ctx, path, attrs, s.isEmpty());
      if (cannot.isPresent()) {
        return Check.fails(cannot.get());
      }
      Optional<String> old = ctx.target().readText(path);
      String want = edit.apply(old.orElse(""));
      List<String> notes = new ArrayList<>();
      if (old.isEmpty() || !old.get().equals(want)) {
        notes.add(old.isEmpty() ? "create " + path : "update " + path);
      }
      notes.addAll(attrChanges(ctx.target(), path, attrs));
      if (notes.isEmpty()) {
        return Check.holds();
      }
      return Check.change(String.join(", ", notes), UnifiedDiff.of(path, old.orElse(null), want))
          .with(new Effect.FileWritten(path));
    }

    @Override
    protected void fix(Context ctx, Check.Change change) {
      String old = ctx.target().readText(path).orElse("");
      ctx.target().write(path, edit.apply(old).getBytes(StandardCharsets.UTF_8), attrs);
    }
  }

  /** Why writing {@code path} with {@code attrs} would fail (missing directory, unknown owner). */
  static Optional<String> cannotWrite(Context ctx, String path, FileAttrs attrs, boolean missing) {
    return (missing ? Precheck.cannotCreate(ctx, path) : Optional.<String>empty())
        .or(() -> Precheck.unknownAccount(ctx, attrs, path));
  }

  static List<String> attrChanges(Target t, String path, FileAttrs attrs) {
    List<String> notes = new ArrayList<>();
    Optional<FileStat> s = t.stat(path);
    if (s.isEmpty()) {
      return notes;
    }
    if (attrs.mode() != null && s.get().mode() != attrs.mode()) {
      notes.add("mode " + s.get().octalMode() + " -> " + String.format("%04o", attrs.mode()));
    }
    if (attrs.owner() != null && !attrs.owner().equals(s.get().owner())
        || attrs.group() != null && !attrs.group().equals(s.get().group())) {
      notes.add("owner " + s.get().owner() + ":" + s.get().group() + " -> " + owner(attrs));
    }
    return notes;
  }

  /** A file holding a secret: compared in memory, never diffed or logged. */
  static final class SecretFile extends CheckedProperty {
    private final String path;
    private final SecretRef secret;
    private final FileAttrs attrs;

    SecretFile(String path, SecretRef secret, FileAttrs attrs) {
      this.path = path;
      this.secret = secret;
      this.attrs = attrs;
    }

    @Override
    public String describe() {
      return "file " + path + " holds secret " + secret.field();
    }

    @Override
    public List<Info> info() {
      return List.of(new Info.SecretUsed(secret));
    }

    @Override
    protected Check check(Context ctx) {
      String value = ctx.secret(secret);
      Optional<String> cannot = cannotWrite(ctx, path, attrs, !ctx.target().exists(path));
      if (cannot.isPresent()) {
        return Check.fails(cannot.get());
      }
      Optional<byte[]> old = ctx.target().read(path);
      List<String> notes = new ArrayList<>();
      if (old.isEmpty() || !Arrays.equals(old.get(), value.getBytes(StandardCharsets.UTF_8))) {
        notes.add((old.isEmpty() ? "create " : "update ") + path + " (secret content not shown)");
      }
      notes.addAll(attrChanges(ctx.target(), path, attrs));
      return notes.isEmpty() ? Check.holds()
          : Check.change(String.join(", ", notes)).with(new Effect.FileWritten(path));
    }

    @Override
    protected void fix(Context ctx, Check.Change change) {
      ctx.target().write(path, ctx.secret(secret).getBytes(StandardCharsets.UTF_8), attrs);
    }
  }
}

package dev.gantry.host.property;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The changes a dry run has found so far on one host, so that a later property's check can
 * tell "would fail" from "would change after the changes above". One per host run, used by
 * one thread; a real run records nothing (the host itself shows what was done).
 *
 * <pre>{@code
 * ctx.foresight().record(List.of(new Effect.DirectoryCreated("/etc/app")));
 * ctx.foresight().directoryWillExist("/etc/app");   // true
 * }</pre>
 */
public final class Foresight {
  private final Set<String> directories = new LinkedHashSet<>();
  private final Set<String> files = new LinkedHashSet<>();
  private final Set<String> users = new LinkedHashSet<>();
  private final Set<String> groups = new LinkedHashSet<>();
  private final List<String> packages = new ArrayList<>();
  private boolean listsUpdated;

  public void record(List<Effect> effects) {
    for (Effect e : effects) {
      switch (e) {
        case Effect.DirectoryCreated d -> directories.add(normalize(d.path()));
        case Effect.FileWritten f -> files.add(normalize(f.path()));
        case Effect.UserCreated u -> {
          users.add(u.name());
          groups.add(u.name());
        }
        case Effect.GroupCreated g -> groups.add(g.name());
        case Effect.PackagesInstalled p -> packages.addAll(p.names());
        case Effect.PackageListsUpdated u -> listsUpdated = true;
      }
    }
  }

  /** True when an earlier change creates {@code dir} (itself, or a directory below it with {@code mkdir -p}). */
  public boolean directoryWillExist(String dir) {
    String d = normalize(dir);
    return directories.stream().anyMatch(c -> c.equals(d) || c.startsWith(d.equals("/") ? "/" : d + "/"));
  }

  /** True when an earlier change writes a file at {@code path}. */
  public boolean fileWillExist(String path) {
    return files.contains(normalize(path));
  }

  public boolean userWillExist(String name) {
    return users.contains(name);
  }

  public boolean groupWillExist(String name) {
    return groups.contains(name);
  }

  /** Packages an earlier change installs, in order; they may bring what no one can foresee. */
  public List<String> packagesInstalled() {
    return List.copyOf(packages);
  }

  /**
   * True when the package lists will differ from what the host has now: an update runs
   * first, or an apt source is written.
   */
  public boolean packageListsChange() {
    return listsUpdated || files.stream().anyMatch(f -> f.startsWith("/etc/apt/"));
  }

  private static String normalize(String path) {
    String p = path.replaceAll("/+", "/");
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}

package dev.gantry.cloud.lab;

import dev.gantry.core.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The cgroups a lab machine runs in: one directory per mounted hierarchy, below the cgroup the
 * launching process is in. systemd-nspawn is started from them, so the machine's systemd and
 * the Docker inside it make their cgroups there instead of in this machine's root cgroups,
 * and removing the machine is removing these directories.
 */
final class MachineCgroups {
  static final Path ROOT = Path.of("/sys/fs/cgroup");

  private MachineCgroups() {}

  /**
   * Where the machine's cgroups go, from {@code /proc/mounts} and {@code /proc/self/cgroup}:
   * for each cgroup hierarchy mounted under {@code root}, the launcher's own cgroup in it
   * plus {@code leaf}.
   */
  static List<Path> plan(List<String> procMounts, List<String> selfCgroup, Path root, String leaf) {
    List<Path> out = new ArrayList<>();
    for (String line : procMounts) {
      String[] f = line.split(" ");
      if (f.length < 4 || !(f[2].equals("cgroup") || f[2].equals("cgroup2")) || !Path.of(f[1]).startsWith(root)) {
        continue;
      }
      Set<String> options = new HashSet<>(Arrays.asList(f[3].split(",")));
      String own = ownCgroup(selfCgroup, f[2].equals("cgroup2"), options);
      if (own == null) {
        continue;
      }
      out.add(Path.of(f[1] + (own.equals("/") ? "" : own)).resolve(leaf));
    }
    if (out.isEmpty()) {
      throw new UserError("lab machines need cgroups: nothing of type cgroup is mounted under " + root);
    }
    return out;
  }

  /** The launcher's path in the hierarchy whose mount has these options (v1) or in the v2 hierarchy. */
  private static String ownCgroup(List<String> selfCgroup, boolean v2, Set<String> mountOptions) {
    for (String line : selfCgroup) {
      String[] f = line.split(":", 3);
      if (f.length < 3) {
        continue;
      }
      if (v2 ? f[1].isEmpty() : !f[1].isEmpty() && mountOptions.containsAll(Arrays.asList(f[1].split(",")))) {
        return f[2];
      }
    }
    return null;
  }

  /** The machine's directories for this process's cgroups, named after the lab host. */
  static List<Path> forMachine(String slug) {
    try {
      return plan(Files.readAllLines(Path.of("/proc/mounts")), Files.readAllLines(Path.of("/proc/self/cgroup")),
          ROOT, "gantry-lab-" + slug);
    } catch (IOException e) {
      throw new UserError("cannot read this machine's cgroups (/proc/mounts, /proc/self/cgroup): " + e.getMessage());
    }
  }

  /**
   * Makes the directories; cpuset ones get their parent's CPUs and memory nodes, without which
   * no task may join. All or nothing: an existing one is refused before any is made, and those
   * made are removed again when a later one fails.
   */
  static void create(List<Path> dirs) {
    for (Path d : dirs) {
      if (Files.exists(d)) {
        throw new UserError("the cgroup " + d + " exists already; a lab machine of that name was not removed "
            + "(remove its processes, then `rmdir` it)");
      }
    }
    List<Path> made = new ArrayList<>();
    Path current = null;
    try {
      for (Path d : dirs) {
        current = d;
        Files.createDirectory(d);
        made.add(d);
        for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
          if (Files.exists(d.resolve(file))) {
            Files.writeString(d.resolve(file), Files.readString(d.getParent().resolve(file)).strip());
          }
        }
      }
    } catch (IOException e) {
      remove(made);
      throw new UserError("cannot make the lab machine's cgroup " + current + ": " + e.getMessage());
    }
  }

  /** Every process in the directories and below. */
  static Set<Long> pids(List<Path> dirs) {
    Set<Long> out = new HashSet<>();
    for (Path d : tree(dirs)) {
      for (String line : readLines(d.resolve("cgroup.procs"))) {
        if (!line.isBlank()) {
          out.add(Long.parseLong(line.strip()));
        }
      }
    }
    return out;
  }

  /**
   * The directories and every cgroup below them, parents first. The machine's systemd makes and
   * removes cgroups while we look: one that is gone by the time it is listed holds nothing.
   */
  static List<Path> tree(List<Path> dirs) {
    List<Path> out = new ArrayList<>();
    java.util.ArrayDeque<Path> todo = new java.util.ArrayDeque<>(dirs);
    while (!todo.isEmpty()) {
      Path d = todo.pop();
      if (!Files.isDirectory(d)) {
        continue;
      }
      out.add(d);
      try (Stream<Path> children = Files.list(d)) {
        children.filter(Files::isDirectory).forEach(todo::push);
      } catch (IOException | java.io.UncheckedIOException gone) {
        // removed while listed
      }
    }
    return out;
  }

  /** Removes the directories, children first; they must hold no process any more. */
  static void remove(List<Path> dirs) {
    List<Path> all = tree(dirs);
    all.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    List<String> left = new ArrayList<>();
    for (Path d : all) {
      try {
        Files.deleteIfExists(d);
      } catch (IOException e) {
        left.add(d + " (" + e.getMessage() + ")");
      }
    }
    if (!left.isEmpty()) {
      throw new UserError("could not remove the lab machine's cgroups: " + String.join(", ", left));
    }
  }

  private static List<String> readLines(Path p) {
    try {
      return Files.readAllLines(p);
    } catch (IOException e) {
      return List.of();
    }
  }
}

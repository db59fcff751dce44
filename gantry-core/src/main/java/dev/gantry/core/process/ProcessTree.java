package dev.gantry.core.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ends a process together with everything it started: its descendants, and the members of
 * its process group (children that re-parented to init are no longer descendants, but stay
 * in the group the root was started in with {@code setsid}).
 */
final class ProcessTree {
  private static final Path PROC = Path.of("/proc");

  private ProcessTree() {}

  /**
   * Sends TERM to the tree, waits up to {@code grace} for it to exit, then sends KILL to
   * whatever is left. Returns when the signals are sent; the root's exit is awaited by its owner.
   */
  static void kill(ProcessHandle root, boolean ownGroup, Duration grace) {
    Set<ProcessHandle> members = members(root, ownGroup);
    members.forEach(ProcessHandle::destroy);
    awaitExit(members, grace);
    Set<ProcessHandle> left = members(root, ownGroup);
    members.stream().filter(ProcessHandle::isAlive).forEach(left::add);
    for (ProcessHandle p : left) {
      // the descendants of survivors, taken before they are killed and re-parent
      p.descendants().forEach(left::add);
    }
    left.forEach(ProcessHandle::destroyForcibly);
  }

  private static Set<ProcessHandle> members(ProcessHandle root, boolean ownGroup) {
    Set<ProcessHandle> members = new LinkedHashSet<>();
    // descendants first: once the root dies they re-parent and can no longer be found this way
    root.descendants().forEach(members::add);
    if (ownGroup) {
      members.addAll(groupMembers(root.pid()));
    }
    if (root.isAlive()) {
      members.add(root);
    }
    return members;
  }

  static void awaitExit(Collection<ProcessHandle> processes, Duration grace) {
    CompletableFuture<?>[] exits = processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(exits).get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // some ignored TERM: they get KILL next
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The live processes whose process group is {@code pgid}, read from /proc (Linux). */
  static List<ProcessHandle> groupMembers(long pgid) {
    List<ProcessHandle> found = new ArrayList<>();
    if (!Files.isDirectory(PROC)) {
      return found;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path dir : dirs) {
        long pid = Long.parseLong(dir.getFileName().toString());
        if (processGroupOf(dir).orElse(-1L) == pgid) {
          ProcessHandle.of(pid).ifPresent(found::add);
        }
      }
    } catch (IOException e) {
      // /proc unreadable: descendants are all we can reach
    }
    return found;
  }

  /** Field 5 of /proc/PID/stat; the command name before it may contain spaces and ')' . */
  private static Optional<Long> processGroupOf(Path procDir) {
    try {
      String stat = Files.readString(procDir.resolve("stat"), StandardCharsets.ISO_8859_1);
      String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      if (rest[0].equals("Z")) {
        return Optional.empty(); // a zombie is already dead
      }
      return Optional.of(Long.parseLong(rest[2]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // the process went away while we looked
    }
  }
}

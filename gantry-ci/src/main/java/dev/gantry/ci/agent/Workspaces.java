package dev.gantry.ci.agent;

import dev.gantry.ci.api.JobOffer;
import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The agent's checkouts: one bare cache of the central repository, and one workspace per
 * candidate that the steps of a group share. An incremental step takes over the agent's
 * previous workspace (its build outputs) instead of a fresh checkout. Old workspaces are
 * deleted, never one in use.
 */
final class Workspaces {
  private static final Duration GIT_TIMEOUT = Duration.ofMinutes(10);
  private static final int KEEP = 3;

  private final Path cache;
  private final Path root;
  private final Map<Path, Integer> inUse = new HashMap<>();

  Workspaces(Path work) {
    this.cache = work.resolve("cache.git");
    this.root = work.resolve("ws");
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the work folder " + root, e);
    }
  }

  /** A throwaway checkout for preparing a candidate; deleted by {@link #discard}. */
  synchronized Path scratch(JobOffer offer) {
    fetch(offer);
    Path dir = root.resolve("prepare-" + offer.run());
    delete(dir);
    git(null, "clone", "-q", "--shared", "--no-checkout", cache.toString(), dir.toString());
    git(dir, "checkout", "-q", "--detach", offer.commit());
    return dir;
  }

  synchronized void discard(Path scratch) {
    delete(scratch);
  }

  private void fetch(JobOffer offer) {
    if (!Files.exists(cache.resolve("HEAD"))) {
      git(null, "init", "-q", "--bare", cache.toString());
    }
    if (!hasCommit(offer.commit())) {
      git(cache, "fetch", "-q", offer.repository(), "+" + offer.ref() + ":" + offer.ref());
    }
  }

  /** The checked-out candidate of {@code offer}, held until {@link #release}. */
  synchronized Path acquire(JobOffer offer, boolean incremental) {
    fetch(offer);
    Path dir = root.resolve("c" + offer.candidate());
    if (Files.exists(dir) && !offer.commit().equals(head(dir))) {
      // left by an earlier server whose candidate numbers started over
      git(dir, "checkout", "-q", "-f", "--detach", offer.commit());
    }
    if (!Files.exists(dir)) {
      Path previous = incremental ? latestFree() : null;
      if (previous != null) {
        move(previous, dir);
        git(dir, "checkout", "-q", "-f", "--detach", offer.commit());
      } else {
        git(null, "clone", "-q", "--shared", "--no-checkout", cache.toString(), dir.toString());
        git(dir, "checkout", "-q", "--detach", offer.commit());
      }
    }
    inUse.merge(dir, 1, Integer::sum);
    return dir;
  }

  synchronized void release(Path dir) {
    inUse.computeIfPresent(dir, (d, n) -> n > 1 ? n - 1 : null);
  }

  /** Deletes all but the most recent workspaces, skipping those in use; returns how many went. */
  synchronized int collectGarbage() {
    List<Path> all = list();
    int removed = 0;
    for (int i = KEEP; i < all.size(); i++) {
      Path p = all.get(i);
      if (!inUse.containsKey(p)) {
        delete(p);
        removed++;
      }
    }
    return removed;
  }

  private static String head(Path dir) {
    ProcessResult r = Command.of("git", "rev-parse", "HEAD").dir(dir).timeout(GIT_TIMEOUT).run();
    return r.ok() ? r.stdout().strip() : "";
  }

  private boolean hasCommit(String commit) {
    if (!Files.exists(cache.resolve("HEAD"))) {
      return false;
    }
    return Command.of("git", "cat-file", "-e", commit + "^{commit}").dir(cache).timeout(GIT_TIMEOUT).run().ok();
  }

  private Path latestFree() {
    return list().stream().filter(p -> !inUse.containsKey(p)).findFirst().orElse(null);
  }

  /** Workspaces, most recently used first. */
  private List<Path> list() {
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("c\\d+"))
          .sorted(Comparator.comparing(Workspaces::modified).reversed()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to);
      Files.setLastModifiedTime(to, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reuse workspace " + from, e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // retried at the next collection
    }
  }

  private static void git(Path dir, String... args) {
    List<String> argv = new java.util.ArrayList<>(List.of("git"));
    argv.addAll(List.of(args));
    Command c = Command.of(argv).timeout(GIT_TIMEOUT).env("GIT_TERMINAL_PROMPT", "0");
    if (dir != null) {
      c = c.dir(dir);
    }
    ProcessResult r = c.run();
    if (!r.ok()) {
      throw new IllegalStateException(String.join(" ", argv) + " failed: " + r.stderr().strip());
    }
  }
}

package dev.gantry.ci.server;

import dev.gantry.ci.git.CommitInfo;
import dev.gantry.ci.git.Mirror;
import dev.gantry.ci.hook.HookMessage;
import dev.gantry.ci.queue.Event;
import dev.gantry.ci.queue.Patch;
import dev.gantry.core.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What puts patches in the queue: {@code gantry ci submit}, the hook and the poller. Each
 * reads the central repository through the mirror first, so what is queued is what is there.
 *
 * <pre>{@code
 * QueueTriggers triggers = new QueueTriggers(settings, mirror, db, runner, clock);
 * triggers.submit("review/login", null, false); // the branch's head, unless master has it
 * }</pre>
 */
final class QueueTriggers {
  private final CiSettings settings;
  private final Mirror mirror;
  private final CiDatabase db;
  private final QueueRunner runner;
  private final Clock clock;

  QueueTriggers(CiSettings settings, Mirror mirror, CiDatabase db, QueueRunner runner, Clock clock) {
    this.settings = settings;
    this.mirror = mirror;
    this.db = db;
    this.runner = runner;
    this.clock = clock;
  }

  /** See {@link CiService#submit(String, String, boolean)}. */
  Optional<Patch> submit(String branch, String sha, boolean urgent) {
    mirror.fetch();
    String commit = sha != null ? sha : mirror.branch(branch)
        .orElseThrow(() -> new UserError("branch '" + branch + "' does not exist in " + settings.repository()));
    CommitInfo info = mirror.commit(commit)
        .orElseThrow(() -> new UserError("commit " + commit + " of '" + branch + "' is not in " + settings.repository()));
    Optional<String> master = mirror.master();
    if (master.isPresent() && mirror.contains(master.get(), info.sha())) {
      return Optional.empty();
    }
    runner.apply(new Event.PatchSubmitted(branch, info.sha(), info.author(), info.subject(), urgent, stack(master.orElse(null), info.sha())));
    db.polledNow(branch, info.sha());
    return runner.state().patches().values().stream()
        .filter(p -> p.branch().equals(branch) && p.commit().equals(info.sha())).reduce((a, b) -> b);
  }

  /** The commits of {@code sha} that master lacks, oldest first, when there are several and all are listed; empty otherwise. */
  private List<String> stack(String master, String sha) {
    List<CommitInfo> newestFirst = mirror.commitsNotIn(master, sha);
    if (newestFirst.size() < 2 || newestFirst.size() >= Mirror.MAX_COMMITS_LISTED) {
      return List.of();
    }
    return newestFirst.reversed().stream().map(CommitInfo::sha).toList();
  }

  /** See {@link CiService#submitPushed(String, String)}. */
  CiService.Pushed submitPushed(String branch, String sha) {
    mirror.fetch();
    Optional<String> head = mirror.branch(branch);
    if (head.isEmpty()) {
      return new CiService.Pushed.Ignored(branch, sha, "branch " + branch + " does not exist in " + settings.repository());
    }
    if (!head.get().equals(sha)) {
      return new CiService.Pushed.Ignored(branch, sha, branch + " points at " + head.get().substring(0, 12) + " now, not at "
          + sha.substring(0, Math.min(12, sha.length())) + "; nothing queued for it");
    }
    return submit(branch, sha, false).<CiService.Pushed>map(CiService.Pushed.Queued::new)
        .orElseGet(() -> new CiService.Pushed.Ignored(branch, sha, "master already contains " + sha.substring(0, 12)));
  }

  /** See {@link CiService#notGuarded(String)}. */
  Optional<String> notGuarded(String repository) {
    if (repository == null || repository.isBlank()) {
      return Optional.empty();
    }
    Optional<Path> pushed = localFolder(repository);
    Optional<Path> guarded = localFolder(settings.repository());
    if (pushed.isEmpty() || guarded.isEmpty() || pushed.equals(guarded)) {
      return Optional.empty();
    }
    return Optional.of("this server guards " + settings.repository() + ", not " + repository
        + ": nothing from this repository is queued; guard it with a server of its own (gantry ci install-hook)");
  }

  private static Optional<Path> localFolder(String where) {
    try {
      Path p = Path.of(where.startsWith("file://") ? where.substring("file://".length()) : where);
      return Files.isDirectory(p) ? Optional.of(p.toRealPath()) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // a URL, or a path that cannot be read: cannot tell
    }
  }

  /** Whether a hook message's nonce is new (and records it); see {@link HookMessage}. */
  boolean firstUseOfHookNonce(String nonce) {
    Instant now = clock.instant();
    return db.firstUseOfNonce(nonce, now, now.minus(HookMessage.WINDOW.multipliedBy(2)));
  }

  /** Reads the central review branches and queues every head not seen before. */
  void poll() {
    mirror.fetch();
    mirror.reviewBranches().forEach((branch, sha) -> {
      if (!db.polled(branch).map(sha::equals).orElse(false)) {
        submit(branch, sha, false);
        db.polledNow(branch, sha);
      }
    });
  }
}

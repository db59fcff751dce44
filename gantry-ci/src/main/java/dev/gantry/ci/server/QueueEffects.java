package dev.gantry.ci.server;

import dev.gantry.ci.git.BuildOutcome;
import dev.gantry.ci.git.GitFailure;
import dev.gantry.ci.git.MergeOutcome;
import dev.gantry.ci.git.Mirror;
import dev.gantry.ci.git.ReviewRefs;
import dev.gantry.ci.queue.Candidate;
import dev.gantry.ci.queue.Effect;
import dev.gantry.ci.queue.Event;
import dev.gantry.ci.queue.Job;
import dev.gantry.ci.queue.JobStatus;
import dev.gantry.ci.queue.QueueState;
import dev.gantry.ci.queue.Transition;
import dev.gantry.core.notify.Notification;
import dev.gantry.core.notify.Notifier;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what the queue engine asks for after each transition: builds and merges
 * candidates in the mirror, deletes merged review branches, relays cancellations to the
 * agents, sends notifications and closes the logs of runs that ended. Outcomes go back to
 * the queue as events. Git work runs on one thread, in order; notifications and log closing
 * on their own threads, so that neither a slow notifier nor a slow log follower holds up
 * the queue.
 *
 * <pre>{@code
 * QueueEffects effects = new QueueEffects(settings, mirror, logs, notifiers, timers, events::add, (agent, run) -> {});
 * effects.run(List.of(new Effect.BuildCandidate(1, null, patches))); // on the git thread; then CandidateBuilt to events
 * }</pre>
 */
final class QueueEffects implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueueEffects.class);

  private final CiSettings settings;
  private final Mirror mirror;
  private final LogStore logs;
  private final List<Notifier> notifiers;
  private final ScheduledExecutorService timers;
  private final Consumer<Event> queue;
  private final BiConsumer<String, Long> cancel;
  private final ExecutorService git = Executors.newSingleThreadExecutor(daemon("gantry-ci-git"));
  private final ExecutorService notify = Executors.newSingleThreadExecutor(daemon("gantry-ci-notify"));
  // log followers (browsers) may be slow: closing logs never holds up the queue
  private final ExecutorService logCloser = Executors.newSingleThreadExecutor(daemon("gantry-ci-logs"));
  private volatile boolean closed;

  /**
   * @param timers where failed git work waits before its next attempt
   * @param queue where outcomes go: the queue's {@code apply}
   * @param cancel tells an agent (by name) to stop a run
   */
  QueueEffects(CiSettings settings, Mirror mirror, LogStore logs, List<Notifier> notifiers, ScheduledExecutorService timers,
      Consumer<Event> queue, BiConsumer<String, Long> cancel) {
    this.settings = settings;
    this.mirror = mirror;
    this.logs = logs;
    this.notifiers = List.copyOf(notifiers);
    this.timers = timers;
    this.queue = queue;
    this.cancel = cancel;
  }

  /** A named daemon thread: the CI's threads never keep the process alive. */
  private static ThreadFactory daemon(String name) {
    return Thread.ofPlatform().name(name).daemon(true).factory();
  }

  /** What follows a transition from {@code before}: closing the logs of ended runs, unpublishing the candidates that ended, then its effects. */
  void dispatch(QueueState before, Transition t) {
    QueueState after = t.state();
    for (Job j : before.jobs().values()) {
      Job now = after.jobs().get(j.id());
      if (j.status() == JobStatus.RUNNING && (now == null || now.status() != JobStatus.RUNNING)) {
        logCloser.execute(() -> logs.finish(j.id()));
      }
    }
    for (Job j : t.retired()) {
      if (j.status().finished()) {
        logCloser.execute(() -> logs.finish(j.id()));
      }
    }
    for (Candidate old : before.candidates()) {
      if (old.commit() != null && after.candidate(old.id()).isEmpty()) {
        git.execute(() -> mirror.unpublish(old.id()));
      }
    }
    run(t.effects());
  }

  /** Carries out {@code effects}: those of a transition, or those the engine issues again after a restart. */
  void run(List<Effect> effects) {
    for (Effect e : effects) {
      switch (e) {
        case Effect.BuildCandidate b -> git.execute(() -> build(b, 1));
        case Effect.Merge m -> git.execute(() -> merge(m, 1));
        case Effect.CancelJob c -> cancel.accept(c.agent(), c.job());
        case Effect.Notify n -> notify.execute(() -> send(Messages.of(n, settings, n.runId() > 0 ? logs.read(n.runId()) : "")));
      }
    }
  }

  private void build(Effect.BuildCandidate b, int attempt) {
    if (closed) {
      return;
    }
    try {
      BuildOutcome o = mirror.build(b.candidate(), b.base(), b.patches());
      switch (o) {
        case BuildOutcome.Built built -> {
          mirror.publish(b.candidate(), built.commit());
          queue.accept(new Event.CandidateBuilt(b.candidate(), built.base(), built.commit()));
        }
        case BuildOutcome.Conflict c -> queue.accept(new Event.CandidateConflict(b.candidate(), c.patch(), c.paths()));
        case BuildOutcome.Failed f -> queue.accept(new Event.CandidateBuildFailed(b.candidate(), f.patch(), f.message()));
      }
    } catch (GitFailure e) {
      if (attempt < 3) {
        LOG.warn("building candidate {} failed (attempt {}): {}", b.candidate(), attempt, e.getMessage());
        timers.schedule(() -> git.execute(() -> build(b, attempt + 1)), attempt * 2L, TimeUnit.SECONDS);
      } else {
        queue.accept(new Event.CandidateBuildFailed(b.candidate(), 0, e.getMessage()));
      }
    }
  }

  private void merge(Effect.Merge m, int attempt) {
    if (closed) {
      return;
    }
    try {
      switch (mirror.merge(m.base(), m.commit())) {
        case MergeOutcome.Merged done -> {
          Set<String> noted = new LinkedHashSet<>();
          noted.add(m.commit());
          m.patches().forEach(p -> noted.add(p.commit()));
          try {
            mirror.addNotes(noted, "Build successful\n\n" + settings.candidateUrl(m.candidate()) + "\n");
          } catch (GitFailure e) {
            LOG.warn("master moved to {} but the notes could not be written: {}", done.master(), e.getMessage());
          }
          queue.accept(new Event.MergeSucceeded(m.candidate(), done.master()));
          deleteMergedBranches(m.patches());
        }
        case MergeOutcome.Moved moved -> queue.accept(new Event.MergeRejected(m.candidate(), moved.master(), "master moved outside Gantry"));
      }
    } catch (GitFailure e) {
      // the candidate passed: keep trying until the central repository takes it
      LOG.warn("merging candidate {} failed (attempt {}), retrying: {}", m.candidate(), attempt, e.getMessage());
      long delay = Math.min(60, 2L * attempt);
      timers.schedule(() -> git.execute(() -> merge(m, attempt + 1)), delay, TimeUnit.SECONDS);
    }
  }

  /**
   * A merged review branch is deleted from the central repository (unless pushed again since),
   * so that `review` and `review/<name>` can follow each other: git cannot have both.
   */
  private void deleteMergedBranches(List<Effect.PatchRef> patches) {
    for (Effect.PatchRef p : patches) {
      if (ReviewRefs.isReviewBranch(p.branch()) && mirror.deleteBranch(p.branch(), p.commit())) {
        LOG.info("deleted merged branch {} ({}) from {}", p.branch(), p.commit().substring(0, 12), settings.repository());
      }
    }
  }

  private void send(Notification message) {
    for (Notifier n : notifiers) {
      try {
        n.send(message).thenAccept(d -> {
          if (!d.delivered()) {
            LOG.warn("'{}' was not delivered to {}: {}", message.title(), n.describe(), d.detail());
          }
        });
      } catch (RuntimeException e) {
        LOG.warn("a notifier failed for '{}': {}", message.title(), e.getMessage());
      }
    }
  }

  /** Starts no more git work; lets what is queued finish (logs 5 s, git 10 s, notifications 5 s). */
  @Override
  public void close() {
    closed = true;
    git.shutdown();
    notify.shutdown();
    logCloser.shutdown();
    try {
      logCloser.awaitTermination(5, TimeUnit.SECONDS);
      git.awaitTermination(10, TimeUnit.SECONDS);
      notify.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

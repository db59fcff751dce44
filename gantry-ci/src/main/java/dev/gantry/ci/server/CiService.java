package dev.gantry.ci.server;

import dev.gantry.ci.git.BuildOutcome;
import dev.gantry.ci.git.CommitInfo;
import dev.gantry.ci.git.GitFailure;
import dev.gantry.ci.git.MergeOutcome;
import dev.gantry.ci.git.Mirror;
import dev.gantry.ci.git.ReviewRefs;
import dev.gantry.ci.hook.HookMessage;
import dev.gantry.ci.queue.Candidate;
import dev.gantry.ci.queue.Effect;
import dev.gantry.ci.queue.Scheduler;
import dev.gantry.ci.queue.Event;
import dev.gantry.ci.queue.Job;
import dev.gantry.ci.queue.JobStatus;
import dev.gantry.ci.queue.Patch;
import dev.gantry.ci.queue.QueueEngine;
import dev.gantry.ci.queue.QueueState;
import dev.gantry.ci.queue.Transition;
import dev.gantry.ci.queue.UnschedulableWatch;
import dev.gantry.ci.web.CiWebComponent;
import dev.gantry.core.UserError;
import dev.gantry.core.notify.Notification;
import dev.gantry.core.notify.Notifier;
import dev.gantry.core.store.Store;
import dev.gantry.core.web.WebComponent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CI server: the queue (rebuilt from the store at start), the git mirror, the agents,
 * the hook and the poller. Its web component carries the pages and the HTTP API.
 *
 * <pre>{@code
 * try (CiService ci = CiService.start(settings, dataDir.resolve("ci"), store, List.of(slack))) {
 *   server.mount(ci.webComponent());
 *   ...
 * }
 * }</pre>
 */
public final class CiService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CiService.class);

  private final CiSettings settings;
  private final CiDatabase db;
  private final Mirror mirror;
  private final LogStore logs;
  private final List<Notifier> notifiers;
  private final Clock clock;
  private final ExecutorService git = Executors.newSingleThreadExecutor(named("gantry-ci-git"));
  private final ExecutorService notify = Executors.newSingleThreadExecutor(named("gantry-ci-notify"));
  // log followers (browsers) may be slow: closing logs never holds up the queue
  private final ExecutorService logCloser = Executors.newSingleThreadExecutor(named("gantry-ci-logs"));
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, named("gantry-ci-timer"));
  private QueueRunner runner;
  private AgentHub hub;
  // touched only by the timer thread
  private UnschedulableWatch unschedulable = UnschedulableWatch.empty();
  private volatile boolean closed;

  private CiService(CiSettings settings, Path dataDir, Store store, List<Notifier> notifiers, Clock clock) {
    this.settings = settings;
    this.db = new CiDatabase(store);
    this.mirror = Mirror.open(dataDir.resolve("mirror.git"), settings.repository(), settings.hookSecret());
    this.logs = new LogStore(dataDir.resolve("logs"), settings.logCapBytes());
    this.notifiers = List.copyOf(notifiers);
    this.clock = clock;
  }

  /** Starts the server part of the CI over {@code store}, keeping its files in {@code dataDir}. */
  public static CiService start(CiSettings settings, Path dataDir, Store store, List<Notifier> notifiers) {
    return start(settings, dataDir, store, notifiers, Clock.systemUTC());
  }

  public static CiService start(CiSettings settings, Path dataDir, Store store, List<Notifier> notifiers, Clock clock) {
    CiService s = new CiService(settings, dataDir, store, notifiers, clock);
    s.runner = QueueRunner.restore(new QueueEngine(settings.maxBatch()), s.db, clock, s::dispatch);
    s.hub = new AgentHub(s.runner, settings, clock);
    try {
      s.mirror.fetch();
    } catch (GitFailure e) {
      LOG.warn("the central repository is not reachable yet: {}", e.getMessage());
    }
    // work that was in flight when the server stopped: building or merging the candidate
    s.runEffects(s.runner.engine().resume(s.runner.state()));
    s.timers.scheduleWithFixedDelay(s::reapQuietly, 500, 500, TimeUnit.MILLISECONDS);
    if (!settings.pollInterval().isZero()) {
      long ms = settings.pollInterval().toMillis();
      s.timers.scheduleWithFixedDelay(s::pollQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }
    s.timers.scheduleWithFixedDelay(s::collectGarbageQuietly, 1, 60, TimeUnit.MINUTES);
    return s;
  }

  private static java.util.concurrent.ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  public WebComponent webComponent() {
    return new CiWebComponent(this);
  }

  public CiSettings settings() {
    return settings;
  }

  public QueueState state() {
    return runner.state();
  }

  public CiDatabase database() {
    return db;
  }

  public LogStore logs() {
    return logs;
  }

  public Mirror mirror() {
    return mirror;
  }

  AgentHub hub() {
    return hub;
  }

  /** The agents as last heard from. */
  public List<AgentView> agents() {
    QueueState s = runner.state();
    List<AgentView> out = new ArrayList<>();
    hub.agents().forEach((name, seen) -> {
      List<Long> running = s.runningJobs().values().stream().filter(j -> name.equals(j.agent())).map(Job::id).toList();
      out.add(new AgentView(name, seen.hello().capabilities(), seen.hello().slots(), running, seen.lastSeen(), seen.online()));
    });
    return out;
  }

  // ---- effects ---------------------------------------------------------------------------

  private void dispatch(QueueState before, Transition t) {
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
    Candidate old = before.active();
    if (old != null && old.commit() != null && (after.active() == null || after.active().id() != old.id())) {
      git.execute(() -> mirror.unpublish(old.id()));
    }
    runEffects(t.effects());
  }

  private void runEffects(List<Effect> effects) {
    for (Effect e : effects) {
      switch (e) {
        case Effect.BuildCandidate b -> git.execute(() -> build(b, 1));
        case Effect.Merge m -> git.execute(() -> merge(m, 1));
        case Effect.CancelJob c -> hub.cancel(c.agent(), c.job());
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
          runner.apply(new Event.CandidateBuilt(b.candidate(), built.base(), built.commit()));
        }
        case BuildOutcome.Conflict c -> runner.apply(new Event.CandidateConflict(b.candidate(), c.patch(), c.paths()));
        case BuildOutcome.Failed f -> runner.apply(new Event.CandidateBuildFailed(b.candidate(), f.patch(), f.message()));
      }
    } catch (GitFailure e) {
      if (attempt < 3) {
        LOG.warn("building candidate {} failed (attempt {}): {}", b.candidate(), attempt, e.getMessage());
        timers.schedule(() -> git.execute(() -> build(b, attempt + 1)), attempt * 2L, TimeUnit.SECONDS);
      } else {
        runner.apply(new Event.CandidateBuildFailed(b.candidate(), 0, e.getMessage()));
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
          runner.apply(new Event.MergeSucceeded(m.candidate(), done.master()));
          deleteMergedBranches(m.patches());
        }
        case MergeOutcome.Moved moved -> runner.apply(new Event.MergeRejected(m.candidate(), moved.master(), "master moved outside Gantry"));
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

  // ---- triggers and admin actions --------------------------------------------------------

  /**
   * Queues the head of a central branch (the hook, the poller and {@code gantry ci submit}).
   * Returns the patch, or empty when master already contains the commit.
   */
  public Optional<Patch> submit(String branch, String sha) {
    return submit(branch, sha, false);
  }

  /**
   * As {@link #submit(String, String)}; {@code urgent} puts the patch in the priority lane
   * (tested alone, ahead of the queue), as a {@code review/hotfix/...} branch is anyway.
   */
  public Optional<Patch> submit(String branch, String sha, boolean urgent) {
    mirror.fetch();
    String commit = sha != null ? sha : mirror.branch(branch)
        .orElseThrow(() -> new UserError("branch '" + branch + "' does not exist in " + settings.repository()));
    CommitInfo info = mirror.commit(commit)
        .orElseThrow(() -> new UserError("commit " + commit + " of '" + branch + "' is not in " + settings.repository()));
    Optional<String> master = mirror.master();
    if (master.isPresent() && mirror.contains(master.get(), info.sha())) {
      return Optional.empty();
    }
    runner.apply(new Event.PatchSubmitted(branch, info.sha(), info.author(), info.subject(), urgent));
    db.polledNow(branch, info.sha());
    return runner.state().patches().values().stream()
        .filter(p -> p.branch().equals(branch) && p.commit().equals(info.sha())).reduce((a, b) -> b);
  }

  /** What a hook's line led to: a patch queued, or nothing and why. */
  public sealed interface Pushed {
    record Queued(Patch patch) implements Pushed {}

    record Ignored(String branch, String commit, String reason) implements Pushed {}
  }

  /**
   * Queues what a hook says was pushed, checked against the central repository rather than
   * believed: only when {@code branch} points at {@code sha} there now. A branch that does
   * not exist, or that moved on (its newer head comes with its own hook call or the poller),
   * queues nothing, and the answer says why.
   */
  public Pushed submitPushed(String branch, String sha) {
    mirror.fetch();
    Optional<String> head = mirror.branch(branch);
    if (head.isEmpty()) {
      return new Pushed.Ignored(branch, sha, "branch " + branch + " does not exist in " + settings.repository());
    }
    if (!head.get().equals(sha)) {
      return new Pushed.Ignored(branch, sha, branch + " points at " + head.get().substring(0, 12) + " now, not at "
          + sha.substring(0, Math.min(12, sha.length())) + "; nothing queued for it");
    }
    return submit(branch, sha).<Pushed>map(Pushed.Queued::new)
        .orElseGet(() -> new Pushed.Ignored(branch, sha, "master already contains " + sha.substring(0, 12)));
  }

  /** Whether a hook message's nonce is new (and records it); see {@link HookMessage}. */
  public boolean firstUseOfHookNonce(String nonce) {
    Instant now = clock.instant();
    return db.firstUseOfNonce(nonce, now, now.minus(HookMessage.WINDOW.multipliedBy(2)));
  }

  /**
   * Why each ready run that no online agent can take is waiting, by run id: shown at once
   * in the status, the pages and the run's log, instead of a silent "pending".
   */
  public Map<Long, String> waiting() {
    return Scheduler.whyWaiting(runner.state(), hub.onlineCapabilities());
  }

  /** This server's clock. */
  public Clock clock() {
    return clock;
  }

  public void pause(String reason) {
    runner.apply(new Event.Paused(reason));
  }

  public void resume() {
    runner.apply(new Event.Resumed());
  }

  public Patch retry(long id) {
    Patch p = livePatch(id);
    if (p.state() != dev.gantry.ci.queue.PatchState.REJECTED && p.state() != dev.gantry.ci.queue.PatchState.REMOVED) {
      throw new UserError("patch #" + id + " is " + p.state().name().toLowerCase() + "; only a rejected or removed patch can be retried");
    }
    runner.apply(new Event.Retried(id));
    Patch after = runner.state().patches().get(id);
    if (after.state() == p.state()) {
      throw new UserError("patch #" + id + " cannot be retried: a newer push of " + p.branch() + " is in the queue");
    }
    return after;
  }

  public Patch remove(long id) {
    Patch p = livePatch(id);
    if (p.state().terminal()) {
      throw new UserError("patch #" + id + " is already " + p.state().name().toLowerCase());
    }
    runner.apply(new Event.Removed(id));
    Patch after = runner.state().patches().get(id);
    if (!after.state().terminal()) {
      throw new UserError("patch #" + id + " is being merged and cannot be removed any more");
    }
    return after;
  }

  public void skip(long candidate, String step) {
    Candidate c = runner.state().active();
    if (c == null || c.id() != candidate || c.graph() == null || c.graph().step(step).isEmpty()) {
      throw new UserError("no step '" + step + "' is waiting or running on candidate " + candidate);
    }
    runner.apply(new Event.StepSkipped(candidate, step));
  }

  private Patch livePatch(long id) {
    return Optional.ofNullable(runner.state().patches().get(id))
        .orElseThrow(() -> new UserError("no patch #" + id + " in the queue (closed patches older than the last "
            + QueueEngine.KEEP_CLOSED + " cannot be changed)"));
  }

  /** Applies an event coming from an agent or the hook. */
  Transition apply(Event e) {
    return runner.apply(e);
  }

  /** Reads the central review branches and queues every head not seen before. */
  public void poll() {
    mirror.fetch();
    mirror.reviewBranches().forEach((branch, sha) -> {
      if (!db.polled(branch).map(sha::equals).orElse(false)) {
        submit(branch, sha);
        db.polledNow(branch, sha);
      }
    });
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      LOG.warn("polling {} failed: {}", settings.repository(), e.getMessage());
    }
  }

  private void reapQuietly() {
    try {
      hub.reap();
      failUnschedulable();
    } catch (RuntimeException e) {
      LOG.warn("checking agents failed: {}", e.getMessage());
    }
  }

  /** Fails the candidate of a run that no online agent could take for {@code ci.unschedulable-timeout}. */
  private void failUnschedulable() {
    UnschedulableWatch.Check check = unschedulable.observe(waiting(), clock.instant(), settings.unschedulableTimeout());
    unschedulable = check.next();
    for (UnschedulableWatch.Expired x : check.expired()) {
      LOG.warn("run {} failed its candidate: {}", x.job(), x.reason());
      logs.append(x.job(), "[gantry] " + x.reason() + "\n"); // the run never started: this is its whole log
      runner.apply(new Event.RunUnschedulable(x.job(), x.reason()));
    }
  }

  private void collectGarbageQuietly() {
    try {
      Set<Long> inUse = new HashSet<>(runner.state().jobs().keySet());
      logs.collectGarbage(clock.instant(), settings.keepLogs(), inUse);
    } catch (RuntimeException e) {
      LOG.warn("cleaning old logs failed: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    closed = true;
    timers.shutdownNow();
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
    synchronized (runner) {
      runner.notifyAll();
    }
    mirror.close();
  }

  /** An agent as the agents page shows it. */
  public record AgentView(String name, List<String> capabilities, int slots, List<Long> running, java.time.Instant lastSeen, boolean online) {}

  static Duration clamp(Duration d, Duration max) {
    return d.compareTo(max) > 0 ? max : d;
  }
}

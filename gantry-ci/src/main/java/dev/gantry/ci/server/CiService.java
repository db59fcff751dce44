package dev.gantry.ci.server;

import dev.gantry.ci.git.GitFailure;
import dev.gantry.ci.git.Mirror;
import dev.gantry.ci.hook.HookMessage;
import dev.gantry.ci.queue.Event;
import dev.gantry.ci.queue.Job;
import dev.gantry.ci.queue.Patch;
import dev.gantry.ci.queue.QueueEngine;
import dev.gantry.ci.queue.QueueState;
import dev.gantry.ci.queue.Refusal;
import dev.gantry.ci.queue.Transition;
import dev.gantry.ci.web.CiWebComponent;
import dev.gantry.core.UserError;
import dev.gantry.core.notify.Notifier;
import dev.gantry.core.store.Store;
import dev.gantry.core.web.WebComponent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CI server: the queue (rebuilt from the store at start), the git mirror, the agents,
 * the hook and the poller. Its web component carries the pages and the HTTP API.
 *
 * <p>It wires the parts and answers for them: {@link QueueRunner} holds the queue,
 * {@link QueueEffects} carries out the engine's effects, {@link QueueTriggers} queues what
 * was pushed, {@link QueueAdmin} applies an admin's actions, {@link QueueTimers} runs the
 * periodic work and {@link AgentHub} talks to the agents.
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
  private final Clock clock;
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, Thread.ofPlatform().name("gantry-ci-timer").daemon(true).factory());
  private final QueueEffects effects;
  private final QueueRunner runner;
  private final AgentHub hub;
  private final QueueTriggers triggers;
  private final QueueAdmin admin;

  private CiService(CiSettings settings, Path dataDir, Store store, List<Notifier> notifiers, Clock clock) {
    this.settings = settings;
    this.db = new CiDatabase(store);
    this.mirror = Mirror.open(dataDir.resolve("mirror.git"), settings.repository(), settings.hookSecret());
    this.logs = new LogStore(dataDir.resolve("logs"), settings.logCapBytes());
    this.clock = clock;
    // the effects report to the queue and the agents, which are made after them: through this
    this.effects = new QueueEffects(settings, mirror, logs, notifiers, timers, this::apply, this::cancel);
    this.runner = QueueRunner.restore(new QueueEngine(settings.maxBatch(), settings.maxWindow()), db, clock, effects::dispatch);
    this.hub = new AgentHub(runner, settings, clock);
    this.triggers = new QueueTriggers(settings, mirror, db, runner, clock);
    this.admin = new QueueAdmin(runner);
  }

  /** Starts the server part of the CI over {@code store}, keeping its files in {@code dataDir}. */
  public static CiService start(CiSettings settings, Path dataDir, Store store, List<Notifier> notifiers) {
    return start(settings, dataDir, store, notifiers, Clock.systemUTC());
  }

  public static CiService start(CiSettings settings, Path dataDir, Store store, List<Notifier> notifiers, Clock clock) {
    CiService s = new CiService(settings, dataDir, store, notifiers, clock);
    try {
      s.mirror.fetch();
    } catch (GitFailure e) {
      LOG.warn("the central repository is not reachable yet: {}", e.getMessage());
    }
    // work that was in flight when the server stopped: building or merging the candidate
    s.effects.run(s.runner.engine().resume(s.runner.state()));
    new QueueTimers(s.timers, settings, s.hub, s.runner, s.logs, s.triggers, clock).start();
    return s;
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

  /** How many candidates the queue tests at once now (see {@link QueueEngine#window}). */
  public int window() {
    return runner.engine().window(runner.state());
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

  // ---- triggers ------------------------------------------------------------------------

  /**
   * Queues the head of a central branch (the hook, the poller and {@code gantry ci submit}).
   * Returns the patch, or empty when master already contains the commit.
   */
  public Optional<Patch> submit(String branch, String sha) {
    return triggers.submit(branch, sha, false);
  }

  /**
   * As {@link #submit(String, String)}; {@code urgent} puts the patch in the priority lane
   * (tested alone, ahead of the queue), as a {@code review/hotfix/...} branch is anyway.
   */
  public Optional<Patch> submit(String branch, String sha, boolean urgent) {
    return triggers.submit(branch, sha, urgent);
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
    return triggers.submitPushed(branch, sha);
  }

  /**
   * Why a hook of {@code repository} (a path on the git host) queues nothing here: this server
   * guards another repository. Empty when it is the guarded one, or when that cannot be told
   * (no path sent, or either one not a local folder, e.g. a URL).
   */
  public Optional<String> notGuarded(String repository) {
    return triggers.notGuarded(repository);
  }

  /** Whether a hook message's nonce is new (and records it); see {@link HookMessage}. */
  public boolean firstUseOfHookNonce(String nonce) {
    return triggers.firstUseOfHookNonce(nonce);
  }

  /** Reads the central review branches and queues every head not seen before. */
  public void poll() {
    triggers.poll();
  }

  /** Applies an event coming from an agent or the hook. */
  Transition apply(Event e) {
    return runner.apply(e);
  }

  private void cancel(String agent, long run) {
    hub.cancel(agent, run);
  }

  /**
   * Why each ready run that no online agent can take is waiting, by run id: shown at once
   * in the status, the pages and the run's log, instead of a silent "pending".
   */
  public Map<Long, String> waiting() {
    return hub.waiting();
  }

  /** This server's clock. */
  public Clock clock() {
    return clock;
  }

  // ---- admin actions --------------------------------------------------------------------

  public void pause(String reason) {
    admin.pause(reason);
  }

  public void resume() {
    admin.resume();
  }

  /**
   * Puts a rejected or removed patch back in the queue.
   *
   * @throws UserError when the queue refuses, saying why (see {@link Refusal})
   */
  public Patch retry(long id) {
    return admin.retry(id);
  }

  /**
   * Takes an open patch out of the queue (not one being merged).
   *
   * @throws UserError when the queue refuses, saying why
   */
  public Patch remove(long id) {
    return admin.remove(id);
  }

  /**
   * Lets a step of the active candidate count as passed.
   *
   * @throws UserError when the candidate is not the active one or has no such step
   */
  public void skip(long candidate, String step) {
    admin.skip(candidate, step);
  }

  @Override
  public void close() {
    timers.shutdownNow();
    effects.close();
    synchronized (runner) {
      runner.notifyAll();
    }
    mirror.close();
  }

  /** An agent as the agents page shows it. */
  public record AgentView(String name, List<String> capabilities, int slots, List<Long> running, Instant lastSeen, boolean online) {}

  static Duration clamp(Duration d, Duration max) {
    return d.compareTo(max) > 0 ? max : d;
  }
}

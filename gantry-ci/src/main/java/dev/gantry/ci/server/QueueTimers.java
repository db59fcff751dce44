package dev.gantry.ci.server;

import dev.gantry.ci.queue.Event;
import dev.gantry.ci.queue.UnschedulableWatch;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CI server's periodic work: declaring silent agents lost and failing runs no agent
 * could take (every half second), polling the central repository ({@code ci.poll-interval},
 * unless zero), and deleting old logs (hourly). A failure is logged and the next round runs.
 *
 * <pre>{@code
 * new QueueTimers(timers, settings, hub, runner, logs, triggers, clock).start();
 * }</pre>
 */
final class QueueTimers {
  private static final Logger LOG = LoggerFactory.getLogger(QueueTimers.class);

  private final ScheduledExecutorService timers;
  private final CiSettings settings;
  private final AgentHub hub;
  private final QueueRunner runner;
  private final LogStore logs;
  private final QueueTriggers triggers;
  private final Clock clock;
  // touched only by the timer thread
  private UnschedulableWatch unschedulable = UnschedulableWatch.empty();

  QueueTimers(ScheduledExecutorService timers, CiSettings settings, AgentHub hub, QueueRunner runner, LogStore logs,
      QueueTriggers triggers, Clock clock) {
    this.timers = timers;
    this.settings = settings;
    this.hub = hub;
    this.runner = runner;
    this.logs = logs;
    this.triggers = triggers;
    this.clock = clock;
  }

  void start() {
    timers.scheduleWithFixedDelay(this::reapQuietly, 500, 500, TimeUnit.MILLISECONDS);
    if (!settings.pollInterval().isZero()) {
      long ms = settings.pollInterval().toMillis();
      timers.scheduleWithFixedDelay(this::pollQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }
    timers.scheduleWithFixedDelay(this::collectGarbageQuietly, 1, 60, TimeUnit.MINUTES);
  }

  private void pollQuietly() {
    try {
      triggers.poll();
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
    UnschedulableWatch.Check check = unschedulable.observe(hub.waiting(), clock.instant(), settings.unschedulableTimeout());
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
}

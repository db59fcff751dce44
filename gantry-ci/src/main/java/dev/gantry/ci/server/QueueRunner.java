package dev.gantry.ci.server;

import dev.gantry.ci.queue.Event;
import dev.gantry.ci.queue.QueueEngine;
import dev.gantry.ci.queue.QueueState;
import dev.gantry.ci.queue.Transition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiConsumer;

/**
 * Holds the live queue: applies one event at a time, writes it (and the read models) to the
 * store before anything else sees the new state, then hands the effects on.
 * Waiters (long-polling agents) wait on this object's monitor for the next change.
 */
final class QueueRunner {
  private final QueueEngine engine;
  private final CiDatabase db;
  private final Clock clock;
  private final BiConsumer<QueueState, Transition> dispatcher;
  private QueueState state;

  private QueueRunner(QueueEngine engine, CiDatabase db, Clock clock, QueueState state, BiConsumer<QueueState, Transition> dispatcher) {
    this.engine = engine;
    this.db = db;
    this.clock = clock;
    this.state = state;
    this.dispatcher = dispatcher;
  }

  /** Rebuilds the queue from the event log. */
  static QueueRunner restore(QueueEngine engine, CiDatabase db, Clock clock, BiConsumer<QueueState, Transition> dispatcher) {
    QueueState s = db.restore(QueueState.empty(), (state, e, at) -> engine.apply(state, e, at).state());
    return new QueueRunner(engine, db, clock, s, dispatcher);
  }

  synchronized QueueState state() {
    return state;
  }

  QueueEngine engine() {
    return engine;
  }

  /** Applies {@code event}; an event that changes nothing (one the engine refused, too) is not logged. */
  synchronized Transition apply(Event event) {
    Instant now = clock.instant();
    Transition t = engine.apply(state, event, now);
    if (t.effects().isEmpty() && t.state().equals(state)) {
      return t;
    }
    db.record(event, now, state, t);
    QueueState before = state;
    state = t.state();
    notifyAll();
    dispatcher.accept(before, t);
    return t;
  }

  /** Waits until the state changes or {@code limit} passes; call while holding this monitor. */
  void awaitChange(Duration limit) throws InterruptedException {
    long ms = Math.max(1, limit.toMillis());
    wait(ms);
  }
}

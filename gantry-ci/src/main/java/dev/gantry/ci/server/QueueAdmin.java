package dev.gantry.ci.server;

import dev.gantry.ci.queue.Event;
import dev.gantry.ci.queue.Patch;
import dev.gantry.ci.queue.Transition;
import dev.gantry.core.UserError;

/**
 * An admin's actions on the queue. The engine decides whether each applies; when it refuses
 * ({@link Transition#refused()}), nothing changed and the admin gets the engine's reason as a
 * {@link UserError}.
 *
 * <pre>{@code
 * new QueueAdmin(runner).remove(7); // UserError "patch #7 is already merged"
 * }</pre>
 */
final class QueueAdmin {
  private final QueueRunner runner;

  QueueAdmin(QueueRunner runner) {
    this.runner = runner;
  }

  void pause(String reason) {
    runner.apply(new Event.Paused(reason));
  }

  void resume() {
    runner.apply(new Event.Resumed());
  }

  /** Puts a rejected or removed patch back in the queue; answers it as it is now. */
  Patch retry(long id) {
    return accepted(new Event.Retried(id)).state().patches().get(id);
  }

  /** Takes an open patch out of the queue; answers it as it is now. */
  Patch remove(long id) {
    return accepted(new Event.Removed(id)).state().patches().get(id);
  }

  /** Lets a step of the active candidate count as passed. */
  void skip(long candidate, String step) {
    accepted(new Event.StepSkipped(candidate, step));
  }

  private Transition accepted(Event e) {
    Transition t = runner.apply(e);
    if (t.refused().isPresent()) {
      throw new UserError(t.refused().get().message());
    }
    return t;
  }
}

package dev.gantry.ci.queue;

import java.util.Locale;

/**
 * Why the engine turned down an admin's event ({@link Event.Removed}, {@link Event.Retried},
 * {@link Event.StepSkipped}); a refused event leaves the state as it was. {@link #message()}
 * is what the admin is told.
 *
 * <pre>{@code
 * Transition t = engine.apply(state, new Event.Removed(7), now);
 * t.refused().ifPresent(r -> System.err.println(r.message())); // patch #7 is already merged
 * }</pre>
 */
public sealed interface Refusal {

  /** What the admin is told, naming the patch or the step. */
  String message();

  /** The patch is not in the state: never queued, or closed and pruned since. */
  record NoSuchPatch(long patch) implements Refusal {
    @Override
    public String message() {
      return "no patch #" + patch + " in the queue (closed patches older than the last " + QueueEngine.KEEP_CLOSED + " cannot be changed)";
    }
  }

  /** Only a patch that is still open can be removed. */
  record AlreadyClosed(long patch, PatchState state) implements Refusal {
    @Override
    public String message() {
      return "patch #" + patch + " is already " + name(state);
    }
  }

  /** The patch passed and master is being moved to it: too late to take it out. */
  record BeingMerged(long patch) implements Refusal {
    @Override
    public String message() {
      return "patch #" + patch + " is being merged and cannot be removed any more";
    }
  }

  /** Only a rejected or removed patch can go back in the queue. */
  record NotRetriable(long patch, PatchState state) implements Refusal {
    @Override
    public String message() {
      return "patch #" + patch + " is " + name(state) + "; only a rejected or removed patch can be retried";
    }
  }

  /** A newer push of the patch's branch is open: retrying the old one would queue the branch twice. */
  record NewerPushQueued(long patch, String branch) implements Refusal {
    @Override
    public String message() {
      return "patch #" + patch + " cannot be retried: a newer push of " + branch + " is in the queue";
    }
  }

  /** The candidate is not the active one, or it has no such step (or no steps yet). */
  record NoSuchStep(long candidate, String step) implements Refusal {
    @Override
    public String message() {
      return "no step '" + step + "' is waiting or running on candidate " + candidate;
    }
  }

  private static String name(PatchState state) {
    return state.name().toLowerCase(Locale.ROOT);
  }
}

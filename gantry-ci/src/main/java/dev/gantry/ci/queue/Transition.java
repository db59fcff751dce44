package dev.gantry.ci.queue;

import java.util.List;
import java.util.Optional;

/**
 * The result of applying an event: the new state, what must now be done, the runs that
 * left the state with their final status (the candidate they belonged to ended), and, for an
 * admin's event the engine turned down, why (the state is then unchanged and nothing is to do).
 */
public record Transition(QueueState state, List<Effect> effects, List<Job> retired, Optional<Refusal> refused) {
  public Transition {
    effects = List.copyOf(effects);
    retired = List.copyOf(retired);
  }

  /** A transition the engine did not refuse. */
  public Transition(QueueState state, List<Effect> effects, List<Job> retired) {
    this(state, effects, retired, Optional.empty());
  }
}

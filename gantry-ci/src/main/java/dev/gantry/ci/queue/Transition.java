package dev.gantry.ci.queue;

import java.util.List;

/**
 * The result of applying an event: the new state, what must now be done, and the runs that
 * left the state with their final status (the candidate they belonged to ended).
 */
public record Transition(QueueState state, List<Effect> effects, List<Job> retired) {
  public Transition {
    effects = List.copyOf(effects);
    retired = List.copyOf(retired);
  }
}

package dev.gantry.cloud.digitalocean.api;

import dev.gantry.cloud.digitalocean.model.Action;
import java.time.Duration;

/** One observation while waiting for an action: its state, how long we waited, which poll. */
public record ActionProgress(Action action, Duration elapsed, int poll) {
  /** One line for a terminal, e.g. {@code "power_on 1234: in-progress (12 s)"}. */
  public String describe() {
    return action.type() + " " + action.id() + ": " + action.status() + " (" + elapsed.toSeconds() + " s)";
  }
}

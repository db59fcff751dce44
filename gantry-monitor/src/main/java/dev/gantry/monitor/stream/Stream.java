package dev.gantry.monitor.stream;

import dev.gantry.monitor.client.Event;

/**
 * A running stream node: receives events, and a tick with the current time so
 * time-driven nodes (rates, windows, idle partitions) act without a new event. Called by
 * the engine thread only, so nodes need no locking.
 */
public interface Stream {
  void accept(Event e);

  /** Time passed; {@code nowMicros} comes from the engine's clock (virtual in tests). */
  default void tick(long nowMicros) {}
}

package dev.gantry.monitor.index;

import dev.gantry.monitor.client.Event;

/**
 * Told about every change of the index, on the engine thread: must not block (hand the
 * event to a bounded queue).
 */
public interface IndexListener {
  /** {@code e} was indexed. */
  void indexed(Event e);

  /** {@code original} left the index; {@code expired} is what the streams see (state "expired"). */
  void expired(Event original, Event expired);
}

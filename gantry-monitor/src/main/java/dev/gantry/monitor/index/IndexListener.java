package dev.gantry.monitor.index;

import dev.gantry.monitor.client.Event;

/**
 * Told about every change of the index, on the engine thread: must not block (hand the
 * event to a bounded queue).
 */
public interface IndexListener {
  /** {@code e} was indexed. */
  void indexed(Event e);

  /** {@code e} was indexed under {@code key}; a listener that needs the key overrides this, saving a second one per event. */
  default void indexed(IndexKey key, Event e) {
    indexed(e);
  }

  /** {@code e} was indexed in {@code slot}; a listener that keeps state per key overrides this to keep it in the slot. */
  default void indexed(IndexSlot slot, Event e) {
    indexed(slot.key(), e);
  }

  /** {@code original} left the index; {@code expired} is what the streams see (state "expired"). */
  void expired(Event original, Event expired);
}

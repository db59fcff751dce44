package dev.gantry.monitor.index;

import dev.gantry.monitor.client.Event;

/**
 * One key's place in the {@link Index}, the same object for as long as the key stays
 * indexed: its latest event, and the state one listener keeps for the key (the history's
 * series), which spares that listener a lookup of its own per event. Only the engine thread
 * writes; {@link #event()} may be read from any thread.
 *
 * <pre>{@code
 * public void indexed(IndexSlot slot, Event e) {
 *   Series s = slot.attachment() instanceof Series mine ? mine : lookUp(slot.key());
 *   slot.attach(s);
 * }
 * }</pre>
 */
public final class IndexSlot {
  private final IndexKey key;
  private volatile Event event;
  private Object attachment;

  IndexSlot(IndexKey key, Event event) {
    this.key = key;
    this.event = event;
  }

  public IndexKey key() {
    return key;
  }

  /** The latest event of the key. */
  public Event event() {
    return event;
  }

  void event(Event e) {
    event = e;
  }

  /** What a listener attached, or null; engine thread only. */
  public Object attachment() {
    return attachment;
  }

  /** Keeps {@code state} with the slot until it leaves the index; engine thread only. */
  public void attach(Object state) {
    attachment = state;
  }
}

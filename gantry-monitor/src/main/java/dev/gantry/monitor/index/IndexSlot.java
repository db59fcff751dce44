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
  // the key's parts rather than the key, so the writer's lookup (SlotTable) reads one object,
  // and a slot is 32 bytes, not 40
  private final String host;
  private final String service;
  private final int hash;
  private volatile Event event;
  private Object attachment;

  IndexSlot(IndexKey key, Event event) {
    this.host = key.host();
    this.service = key.service();
    this.hash = SlotTable.hash(host, service);
    this.event = event;
  }

  int hash() {
    return hash;
  }

  /** Whether this is the slot of (host, service); the strings of indexed events are mostly the same instances. */
  boolean is(String host, String service) {
    return (host == this.host || host != null && host.equals(this.host))
        && (service == this.service || service != null && service.equals(this.service));
  }

  /** The slot's key, made anew: equal to the map's, not the same object. */
  public IndexKey key() {
    return new IndexKey(host, service);
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

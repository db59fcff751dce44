package dev.gantry.monitor.client.proto;

import dev.gantry.monitor.client.Event;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * The events of a decoded message: filled by {@link MsgCodec} only, then read-only (the
 * list's mutators throw). {@link Msg} keeps it as it is, where any other list is copied:
 * one array per message instead of three.
 */
final class DecodedEvents extends AbstractList<Event> implements RandomAccess {
  private Event[] events;
  private int size;

  DecodedEvents(int capacity) {
    events = new Event[capacity];
  }

  void append(Event e) {
    if (size == events.length) {
      events = Arrays.copyOf(events, size * 2);
    }
    events[size++] = e;
  }

  /** The event appended last, or null. */
  Event last() {
    return size == 0 ? null : events[size - 1];
  }

  @Override
  public Event get(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("index " + i + ", size " + size);
    }
    return events[i];
  }

  @Override
  public int size() {
    return size;
  }
}

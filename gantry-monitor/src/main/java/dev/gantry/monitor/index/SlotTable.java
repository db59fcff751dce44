package dev.gantry.monitor.index;

import java.util.Arrays;

/**
 * The writing thread's way from a (host, service) to its slot: open addressing over the
 * slots themselves, each holding its key's hash, host and service. A lookup reads the table
 * and the slot; the concurrent map the readers use also reads its node and the key object,
 * and at a few thousand batches a second each of those reads is a cache miss per event.
 * Not thread-safe: only the thread writing the {@link Index} uses it.
 *
 * <pre>{@code
 * SlotTable t = new SlotTable();
 * t.add(slot);
 * IndexSlot same = t.find("web1", "cpu");
 * }</pre>
 */
final class SlotTable {
  // at most half full, so a miss ends at an empty place after a probe or two
  private IndexSlot[] slots = new IndexSlot[64];
  private int shift = 32 - 6;
  private int size;

  /** The hash of a key; the slot keeps it so probing and growing read no strings. */
  static int hash(String host, String service) {
    int h = 31 * (host == null ? 0 : host.hashCode()) + (service == null ? 0 : service.hashCode());
    // Fibonacci hashing: the table takes the top bits, which the multiplication mixes well
    return h * 0x9E3779B9;
  }

  /** The slot of (host, service), or null. */
  IndexSlot find(String host, String service) {
    int hash = hash(host, service);
    IndexSlot[] t = slots;
    int mask = t.length - 1;
    for (int i = hash >>> shift; ; i = (i + 1) & mask) {
      IndexSlot s = t[i];
      if (s == null || s.hash() == hash && s.is(host, service)) {
        return s;
      }
    }
  }

  /** Adds a slot whose key is not in the table. */
  void add(IndexSlot slot) {
    if (2 * (size + 1) > slots.length) {
      IndexSlot[] old = slots;
      slots = new IndexSlot[old.length * 2];
      shift--;
      for (IndexSlot s : old) {
        if (s != null) {
          place(s);
        }
      }
    }
    place(slot);
    size++;
  }

  private void place(IndexSlot slot) {
    int mask = slots.length - 1;
    int i = slot.hash() >>> shift;
    while (slots[i] != null) {
      i = (i + 1) & mask;
    }
    slots[i] = slot;
  }

  /** Removes this very slot, if the table holds it. */
  void remove(IndexSlot slot) {
    IndexSlot[] t = slots;
    int mask = t.length - 1;
    int i = slot.hash() >>> shift;
    while (t[i] != slot) {
      if (t[i] == null) {
        return;
      }
      i = (i + 1) & mask;
    }
    t[i] = null;
    size--;
    // close the gap: a later slot of the run moves back unless its home is after the gap
    for (int j = (i + 1) & mask; t[j] != null; j = (j + 1) & mask) {
      int home = t[j].hash() >>> shift;
      boolean homeAfterGap = i <= j ? i < home && home <= j : i < home || home <= j;
      if (!homeAfterGap) {
        t[i] = t[j];
        t[j] = null;
        i = j;
      }
    }
  }

  void clear() {
    Arrays.fill(slots, null);
    size = 0;
  }

  int size() {
    return size;
  }
}

package dev.gantry.monitor.index;

import dev.gantry.monitor.client.Event;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The latest event of every (host, service). Written by the engine thread only; read from
 * any thread (queries, the dashboard). Events past their TTL are removed by {@link #expire}
 * which returns them with state {@code "expired"} so the streams see them.
 *
 * <pre>{@code
 * index.put(event);
 * Event last = index.get(new IndexKey("web1", "cpu"));
 * }</pre>
 */
public final class Index {
  /** The state given to events that outlived their TTL. */
  public static final String EXPIRED = "expired";

  // a slot per key, its event replaced in place: cheaper per event than a map write. The
  // map is for readers on any thread; the writer finds a slot through its own table
  private final ConcurrentHashMap<IndexKey, IndexSlot> events = new ConcurrentHashMap<>();
  private final SlotTable writerSlots = new SlotTable();
  private final Collection<Event> eventsView = new AbstractCollection<>() {
    @Override
    public Iterator<Event> iterator() {
      Iterator<IndexSlot> slots = events.values().iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return slots.hasNext();
        }

        @Override
        public Event next() {
          return slots.next().event();
        }
      };
    }

    @Override
    public int size() {
      return events.size();
    }
  };
  private final Map<String, Integer> perHost = new HashMap<>();
  private final long defaultTtlMicros;
  private final List<IndexListener> listeners = new CopyOnWriteArrayList<>();

  /** An index whose events without a TTL live {@code defaultTtlSeconds}. */
  public Index(double defaultTtlSeconds) {
    if (!(defaultTtlSeconds > 0)) {
      throw new IllegalArgumentException("default TTL must be positive, got " + defaultTtlSeconds);
    }
    this.defaultTtlMicros = (long) (defaultTtlSeconds * 1_000_000L);
  }

  public void addListener(IndexListener l) {
    listeners.add(l);
  }

  public void removeListener(IndexListener l) {
    listeners.remove(l);
  }

  /** Indexes {@code e}; an event with state "expired" removes its key instead. */
  public void put(Event e) {
    if (EXPIRED.equals(e.state())) {
      Event old = remove(IndexKey.of(e));
      if (old != null) {
        for (IndexListener l : listeners) {
          l.expired(old, e);
        }
      }
      return;
    }
    IndexSlot slot = hold(e);
    for (IndexListener l : listeners) {
      l.indexed(slot, e);
    }
  }

  /** Removes the event of {@code key}, if any, and returns it. */
  public Event remove(IndexKey key) {
    IndexSlot old = events.remove(key);
    if (old == null) {
      return null;
    }
    writerSlots.remove(old);
    perHost.computeIfPresent(hostOf(key), (h, n) -> n <= 1 ? null : n - 1);
    return old.event();
  }

  public Event get(IndexKey key) {
    IndexSlot slot = events.get(key);
    return slot == null ? null : slot.event();
  }

  public int size() {
    return events.size();
  }

  /** How many events of {@code host} are indexed. */
  public int countForHost(String host) {
    return perHost.getOrDefault(host == null ? "" : host, 0);
  }

  /** A weakly consistent view of all indexed events. */
  public Collection<Event> events() {
    return eventsView;
  }

  /** How long an event sent without a TTL lives. */
  public double defaultTtlSeconds() {
    return defaultTtlMicros / 1e6;
  }

  /** The TTL of {@code e} in microseconds, the default when it has none. */
  public long ttlMicros(Event e) {
    return e.hasTtl() ? (long) (e.ttl() * 1_000_000.0) : defaultTtlMicros;
  }

  /**
   * Removes every event whose time plus TTL is before {@code nowMicros} and returns them
   * with state "expired" and time now, all removed before any is returned (so a stream
   * seeing the last one of a host finds the host empty).
   */
  public List<Event> expire(long nowMicros) {
    return expire(nowMicros, expiring(nowMicros));
  }

  /**
   * The slots whose event has outlived its TTL at {@code nowMicros}: a read of the whole
   * index, safe from any thread while events are put, so the engine can look for what to
   * expire without holding up the events arriving meanwhile.
   */
  public List<IndexSlot> expiring(long nowMicros) {
    List<IndexSlot> found = new ArrayList<>();
    for (IndexSlot slot : events.values()) {
      if (outlived(slot.event(), nowMicros)) {
        found.add(slot);
      }
    }
    return found;
  }

  /**
   * {@link #expire(long)} of the {@code candidates} found by {@link #expiring}: each is
   * checked again, so one refreshed since it was found stays.
   */
  public List<Event> expire(long nowMicros, List<IndexSlot> candidates) {
    List<Event> originals = new ArrayList<>();
    for (IndexSlot slot : candidates) {
      Event e = slot.event();
      IndexKey key = slot.key();
      if (outlived(e, nowMicros) && events.remove(key, slot)) {
        writerSlots.remove(slot);
        perHost.computeIfPresent(hostOf(key), (h, n) -> n <= 1 ? null : n - 1);
        originals.add(e);
      }
    }
    List<Event> expired = new ArrayList<>(originals.size());
    for (Event e : originals) {
      Event x = e.withState(EXPIRED).withTimeMicros(nowMicros);
      expired.add(x);
      for (IndexListener l : listeners) {
        l.expired(e, x);
      }
    }
    return expired;
  }

  private boolean outlived(Event e, long nowMicros) {
    return e.timeMicros() + ttlMicros(e) < nowMicros;
  }

  /** Replaces the content with {@code restored} (on start, from a snapshot). */
  public void restore(Collection<Event> restored) {
    events.clear();
    writerSlots.clear();
    perHost.clear();
    for (Event e : restored) {
      if (!EXPIRED.equals(e.state())) {
        hold(e);
      }
    }
  }

  /** The slot of {@code e}'s key, made when the key is new, now holding {@code e}. */
  private IndexSlot hold(Event e) {
    IndexSlot slot = writerSlots.find(e.host(), e.service());
    if (slot != null) {
      slot.event(e);
      return slot;
    }
    IndexKey key = IndexKey.of(e);
    IndexSlot made = new IndexSlot(key, e);
    events.put(key, made);
    writerSlots.add(made);
    perHost.merge(hostOf(key), 1, Integer::sum);
    return made;
  }

  private static String hostOf(IndexKey key) {
    return key.host() == null ? "" : key.host();
  }
}

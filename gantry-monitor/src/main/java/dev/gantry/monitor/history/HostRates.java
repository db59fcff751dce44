package dev.gantry.monitor.history;

import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.index.IndexListener;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many events each host sent, per bucket of {@link #BUCKET_SECONDS} over the last
 * {@link #BUCKETS} buckets (5 minutes), counted when the monitor indexes them. At most
 * {@code maxHosts} hosts; a new one beyond that drops the host heard from longest ago.
 * Owned by the engine thread (an {@link IndexListener}).
 *
 * <pre>{@code
 * HostRates rates = new HostRates(1_000, clock);
 * index.addListener(rates);
 * HostRates.Rates r = rates.rates();   // events/s per host, bucket by bucket
 * }</pre>
 */
public final class HostRates implements IndexListener {
  public static final int BUCKET_SECONDS = 10;
  public static final int BUCKETS = 30;

  /** One host's events per second in each complete bucket, oldest first. */
  public record HostRate(String host, double[] perSecond) {}

  /** The rates of every host; {@code startSecond} is the epoch second where the first bucket begins. */
  public record Rates(long startSecond, int bucketSeconds, List<HostRate> hosts) {}

  private final int maxHosts;
  private final InstantSource clock;
  // access order: the first host is the one heard from longest ago
  private final LinkedHashMap<String, Ring> hosts = new LinkedHashMap<>(16, 0.75f, true);

  /** A host's counts by bucket number modulo its length, and the last bucket counted into. */
  private static final class Ring {
    final long[] counts = new long[BUCKETS + 1];
    long last;

    Ring(long bucket) {
      last = bucket;
    }

    void count(long bucket) {
      // a clock that stepped back counts into the latest bucket
      long b = Math.max(bucket, last);
      for (long cleared = last + 1; cleared <= b && cleared <= last + counts.length; cleared++) {
        counts[(int) (cleared % counts.length)] = 0;
      }
      last = b;
      counts[(int) (b % counts.length)]++;
    }

    /** The count of bucket {@code b}; zero for one after the last event or too old to be held. */
    long at(long b) {
      return b <= last && b > last - counts.length ? counts[(int) (b % counts.length)] : 0;
    }
  }

  public HostRates(int maxHosts, InstantSource clock) {
    if (maxHosts < 1) {
      throw new IllegalArgumentException("maxHosts must be positive, got " + maxHosts);
    }
    this.maxHosts = maxHosts;
    this.clock = clock;
  }

  @Override
  public void indexed(Event e) {
    count(e.host() == null ? "" : e.host());
  }

  @Override
  public void expired(Event original, Event expired) {
    // an expiry is the monitor's doing, not the host's
  }

  /** Counts one event of {@code host} now. */
  public void count(String host) {
    long bucket = bucketNow();
    Ring ring = hosts.get(host);
    if (ring == null) {
      if (hosts.size() >= maxHosts) {
        Iterator<Ring> oldest = hosts.values().iterator();
        oldest.next();
        oldest.remove();
      }
      ring = new Ring(bucket);
      hosts.put(host, ring);
    }
    ring.count(bucket);
  }

  /** The complete buckets of the last {@link #BUCKETS}, per host by name; hosts silent all along are left out. */
  public Rates rates() {
    long first = bucketNow() - BUCKETS;
    List<HostRate> out = new ArrayList<>();
    // iterating does not reorder the hosts as a lookup would
    for (Map.Entry<String, Ring> entry : hosts.entrySet()) {
      double[] perSecond = new double[BUCKETS];
      boolean any = false;
      for (int i = 0; i < BUCKETS; i++) {
        long n = entry.getValue().at(first + i);
        perSecond[i] = n / (double) BUCKET_SECONDS;
        any |= n > 0;
      }
      if (any) {
        out.add(new HostRate(entry.getKey(), perSecond));
      }
    }
    out.sort(Comparator.comparing(HostRate::host));
    return new Rates(first * BUCKET_SECONDS, BUCKET_SECONDS, out);
  }

  /** Hosts counted (at most the limit). */
  public int hosts() {
    return hosts.size();
  }

  private long bucketNow() {
    return Math.floorDiv(clock.millis(), 1000L * BUCKET_SECONDS);
  }
}

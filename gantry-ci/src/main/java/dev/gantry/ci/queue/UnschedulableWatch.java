package dev.gantry.ci.queue;

import dev.gantry.core.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Since when each ready run that no online agent can take has been waiting, and which have
 * waited too long: a pure function of what {@link Scheduler#whyWaiting} says now, the time and
 * the timeout. A run that an agent could take again, even for a moment, starts from zero.
 *
 * <pre>{@code
 * UnschedulableWatch.Check c = watch.observe(Scheduler.whyWaiting(state, online), clock.instant(), Duration.ofMinutes(10));
 * watch = c.next();
 * c.expired().forEach(x -> runner.apply(new Event.RunUnschedulable(x.job(), x.reason())));
 * }</pre>
 *
 * @param since each waiting run's id to when it was first seen waiting
 */
public record UnschedulableWatch(Map<Long, Instant> since) {

  public UnschedulableWatch {
    since = Collections.unmodifiableMap(new TreeMap<>(since));
  }

  public static UnschedulableWatch empty() {
    return new UnschedulableWatch(Map.of());
  }

  /** A run that waited {@code timeout} or longer, with the rejection reason to give. */
  public record Expired(long job, String reason) {}

  /** The watch to keep, and the runs to fail now. */
  public record Check(UnschedulableWatch next, List<Expired> expired) {}

  /**
   * @param waiting the runs no online agent can take now, by id, with why (from {@link Scheduler#whyWaiting})
   */
  public Check observe(Map<Long, String> waiting, Instant now, Duration timeout) {
    Map<Long, Instant> next = new TreeMap<>();
    List<Expired> expired = new ArrayList<>();
    waiting.forEach((job, why) -> {
      Instant from = since.getOrDefault(job, now);
      if (!now.isBefore(from.plus(timeout))) {
        expired.add(new Expired(job, "no agent could take it for " + Durations.format(timeout) + ": " + why));
      } else {
        next.put(job, from);
      }
    });
    return new Check(new UnschedulableWatch(next), expired);
  }
}

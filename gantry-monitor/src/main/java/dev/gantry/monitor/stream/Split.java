package dev.gantry.monitor.stream;

import dev.gantry.monitor.client.Event;
import java.util.function.Predicate;

/**
 * One branch of {@link Streams#split}: events go to the first branch whose test holds.
 *
 * <pre>{@code
 * Streams.split(Split.when(e -> e.metricValue() > 90, critical), Split.otherwise(ok));
 * }</pre>
 */
public record Split(Predicate<Event> test, StreamSpec stream) {
  public static Split when(Predicate<Event> test, StreamSpec stream) {
    return new Split(test, stream);
  }

  public static Split otherwise(StreamSpec stream) {
    return new Split(e -> true, stream);
  }
}

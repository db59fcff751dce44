package dev.gantry.cloud.digitalocean;

import dev.gantry.cloud.digitalocean.http.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that moves only when something sleeps on it; records every sleep. */
final class VirtualTime implements InstantSource, Sleeper {
  private volatile Instant now = Instant.now();
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public synchronized void sleep(Duration d) {
    sleeps.add(d);
    now = now.plus(d);
  }

  /** The sleeps longer than zero, in order. */
  List<Duration> sleeps() {
    return sleeps.stream().filter(d -> !d.isZero()).toList();
  }
}

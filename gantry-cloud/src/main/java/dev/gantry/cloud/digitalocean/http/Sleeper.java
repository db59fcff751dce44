package dev.gantry.cloud.digitalocean.http;

import java.time.Duration;

/** Waits; injected so retries and polling run in virtual time in tests. */
@FunctionalInterface
public interface Sleeper {
  /** Really sleeps. */
  Sleeper SYSTEM = d -> {
    if (!d.isZero() && !d.isNegative()) {
      Thread.sleep(d);
    }
  };

  void sleep(Duration duration) throws InterruptedException;
}

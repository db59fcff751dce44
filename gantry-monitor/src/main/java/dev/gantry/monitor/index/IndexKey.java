package dev.gantry.monitor.index;

import dev.gantry.monitor.client.Event;

/** What identifies an indexed event: its host and service (either may be null). */
public record IndexKey(String host, String service) {
  public static IndexKey of(Event e) {
    return new IndexKey(e.host(), e.service());
  }
}

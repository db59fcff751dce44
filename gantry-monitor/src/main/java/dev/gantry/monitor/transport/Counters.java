package dev.gantry.monitor.transport;

/** What the transports count (wired to the metrics registry by the service). */
public interface Counters {
  void received(String transport, int events);

  void refused(String transport, String reason);
}

package dev.gantry.monitor.stream;

import dev.gantry.monitor.alert.Condition;
import dev.gantry.monitor.alert.Receiver;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.index.Index;
import java.time.InstantSource;
import java.util.List;

/** What the engine gives running streams: time, the index, state, and the ways out. */
public interface StreamRuntime {
  InstantSource clock();

  /** Now in microseconds since the epoch; the same for every event of a batch, read once. */
  long nowMicros();

  Index index();

  StateRegistry states();

  /** Hands an alert condition of {@code rule} to the alert book. */
  void condition(String rule, Condition c);

  /** Sends a plain notification for {@code e} to receivers, outside the alert lifecycle. */
  void deliver(List<Receiver> receivers, Event e);

  /** Sends {@code e} to another Riemann-protocol server. */
  void forward(String host, int port, Event e);

  /** The alerts named {@code name} that are pending or firing (state seeds after a restart). */
  List<dev.gantry.monitor.alert.Alert> openAlerts(String name);

  /** Counts something worth watching (events shed by a full partition table, ...). */
  void count(String what);
}

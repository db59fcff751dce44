package dev.gantry.monitor.engine;

import dev.gantry.monitor.alert.AlertMessage;
import dev.gantry.monitor.alert.Receiver;
import java.util.List;

/** Where the engine hands notifications; the real one sends, the test harness records. */
public interface Outbox {
  void send(String route, List<Receiver> receivers, AlertMessage message);
}

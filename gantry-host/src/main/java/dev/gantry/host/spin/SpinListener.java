package dev.gantry.host.spin;

import dev.gantry.host.apply.PropertyOutcome;
import java.util.List;

/** Progress of a spin, called from the hosts' threads. */
public interface SpinListener {
  /** The hosts the spin will report on, in order, once the selection is resolved. */
  default void selected(List<String> hosts) {}

  /** The host entered a phase: connecting, installing runtime, applying N properties... */
  void phase(String host, String phase);

  /** One property finished on the host. */
  void result(String host, PropertyOutcome outcome);

  /** The host is done. */
  void finished(HostReport report);

  SpinListener NONE = new SpinListener() {
    @Override
    public void phase(String host, String phase) {}

    @Override
    public void result(String host, PropertyOutcome outcome) {}

    @Override
    public void finished(HostReport report) {}
  };
}

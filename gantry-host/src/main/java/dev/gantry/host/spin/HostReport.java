package dev.gantry.host.spin;

import dev.gantry.host.apply.PropertyOutcome;
import dev.gantry.host.apply.Summary;
import java.util.List;

/**
 * How one host's spin went: the outcome of each property, or the error that stopped it
 * before anything was applied (unreachable, host key, missing secret, lock held...).
 */
public record HostReport(String host, List<PropertyOutcome> outcomes, String error, boolean runtimeUploaded,
                         long millis) {
  public HostReport {
    outcomes = List.copyOf(outcomes);
  }

  public Summary summary() {
    return Summary.of(outcomes);
  }

  /** True when the host was reached and no property failed. */
  public boolean ok() {
    return error == null && !summary().anyFailed();
  }
}

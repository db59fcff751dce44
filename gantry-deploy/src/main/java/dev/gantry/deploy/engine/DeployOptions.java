package dev.gantry.deploy.engine;

import dev.gantry.core.UserError;
import java.time.Duration;

/**
 * Tunables of deploys.
 *
 * @param healthTimeout how long a started release may take to become healthy
 * @param pollEvery how often container states are read while waiting
 * @param keepBackups backups kept per system on the host (older ones are deleted)
 * @param unitDir where the systemd unit is written on the host
 * @param drainTimeout after the front switched, how long requests still running on the old
 *     instances may take before those are stopped
 * @param keepInstances stopped old instances kept per service, so a rollback to them is a start, not a create
 * @param publicPortsUnderSwarm consent that Swarm publishes loopback ports on every interface
 */
public record DeployOptions(Duration healthTimeout, Duration pollEvery, int keepBackups, String unitDir,
    Duration drainTimeout, int keepInstances, boolean publicPortsUnderSwarm) {
  public DeployOptions {
    if (healthTimeout.isNegative() || healthTimeout.isZero()) {
      throw new UserError("health timeout must be positive");
    }
    if (keepBackups < 1) {
      throw new UserError("backup retention must keep at least 1 backup, not " + keepBackups);
    }
    if (drainTimeout.isNegative()) {
      throw new UserError("drain timeout must not be negative");
    }
    if (keepInstances < 0) {
      throw new UserError("kept instances must not be negative, not " + keepInstances);
    }
  }

  public static DeployOptions defaults() {
    // a poll is one `docker inspect` of the containers seen: every 50 ms costs little and a
    // release is switched to soon after its health check passes
    return new DeployOptions(Duration.ofMinutes(3), Duration.ofMillis(50), 10, "/etc/systemd/system",
        Duration.ofSeconds(30), 3, false);
  }

  public DeployOptions withHealthTimeout(Duration d) {
    return new DeployOptions(d, pollEvery, keepBackups, unitDir, drainTimeout, keepInstances, publicPortsUnderSwarm);
  }

  public DeployOptions withKeepBackups(int n) {
    return new DeployOptions(healthTimeout, pollEvery, n, unitDir, drainTimeout, keepInstances, publicPortsUnderSwarm);
  }

  public DeployOptions withUnitDir(String dir) {
    return new DeployOptions(healthTimeout, pollEvery, keepBackups, dir, drainTimeout, keepInstances, publicPortsUnderSwarm);
  }

  public DeployOptions withDrainTimeout(Duration d) {
    return new DeployOptions(healthTimeout, pollEvery, keepBackups, unitDir, d, keepInstances, publicPortsUnderSwarm);
  }

  public DeployOptions withKeepInstances(int n) {
    return new DeployOptions(healthTimeout, pollEvery, keepBackups, unitDir, drainTimeout, n, publicPortsUnderSwarm);
  }

  public DeployOptions withPublicPortsUnderSwarm(boolean accept) {
    return new DeployOptions(healthTimeout, pollEvery, keepBackups, unitDir, drainTimeout, keepInstances, accept);
  }
}

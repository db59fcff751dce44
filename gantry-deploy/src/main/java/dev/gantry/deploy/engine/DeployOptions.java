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
 */
public record DeployOptions(Duration healthTimeout, Duration pollEvery, int keepBackups, String unitDir) {
  public DeployOptions {
    if (healthTimeout.isNegative() || healthTimeout.isZero()) {
      throw new UserError("health timeout must be positive");
    }
    if (keepBackups < 1) {
      throw new UserError("backup retention must keep at least 1 backup, not " + keepBackups);
    }
  }

  public static DeployOptions defaults() {
    return new DeployOptions(Duration.ofMinutes(3), Duration.ofMillis(500), 10, "/etc/systemd/system");
  }

  public DeployOptions withHealthTimeout(Duration d) {
    return new DeployOptions(d, pollEvery, keepBackups, unitDir);
  }

  public DeployOptions withKeepBackups(int n) {
    return new DeployOptions(healthTimeout, pollEvery, n, unitDir);
  }

  public DeployOptions withUnitDir(String dir) {
    return new DeployOptions(healthTimeout, pollEvery, keepBackups, dir);
  }
}

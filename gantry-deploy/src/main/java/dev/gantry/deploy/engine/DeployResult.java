package dev.gantry.deploy.engine;

import dev.gantry.deploy.ledger.ReleaseRecord;
import java.util.Optional;

/**
 * How a deploy, rollback or clone ended.
 *
 * @param record the ledger entry; empty for a dry run
 * @param summary one line for people
 * @param plan the plan printed by a dry run (empty otherwise)
 */
public record DeployResult(Optional<ReleaseRecord> record, String summary, String plan) {

  /** True when the requested release runs and is healthy (or, for a dry run, it would be attempted). */
  public boolean ok() {
    return record.map(ReleaseRecord::succeeded).orElse(true);
  }

  static DeployResult dryRun(String plan) {
    return new DeployResult(Optional.empty(), "dry run: nothing was changed", plan);
  }
}

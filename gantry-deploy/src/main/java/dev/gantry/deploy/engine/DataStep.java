package dev.gantry.deploy.engine;

import java.util.List;

/**
 * A change to a system's data made while it is stopped, before the new release starts
 * (restoring a backup, importing and anonymizing cloned data). If the release then fails,
 * these volumes are put back from the backup taken just before.
 *
 * @param volumes the declared volumes the step replaces
 */
record DataStep(String description, List<String> volumes, Action action) {

  @FunctionalInterface
  interface Action {
    void run();
  }
}

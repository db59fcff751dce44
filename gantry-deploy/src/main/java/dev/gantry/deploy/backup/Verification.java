package dev.gantry.deploy.backup;

import java.util.List;

/** The result of re-reading a backup: empty problems means every archive matches its manifest. */
public record Verification(String backupId, List<String> problems) {
  public Verification {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}

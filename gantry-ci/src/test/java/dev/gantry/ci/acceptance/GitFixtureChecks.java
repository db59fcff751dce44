package dev.gantry.ci.acceptance;

import dev.gantry.ci.testing.GitFixture;
import java.nio.file.Path;

final class GitFixtureChecks {
  private GitFixtureChecks() {}

  static boolean isAncestor(Path repo, String commit, String of) {
    return GitFixture.gitResult(repo, "merge-base", "--is-ancestor", commit, of).exitCode() == 0;
  }
}

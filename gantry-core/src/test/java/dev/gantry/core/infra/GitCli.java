package dev.gantry.core.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The git command line in a test repository: what a user would see after Gantry's commits. */
final class GitCli {
  private GitCli() {}

  /** Runs {@code git -C dir args} and returns its stdout, failing the test when git fails. */
  static String git(Path dir, String... args) {
    ProcessResult r = run(dir, args);
    assertThat(r.ok()).as("git %s: %s%s", String.join(" ", args), r.stdout(), r.stderr()).isTrue();
    return r.stdout();
  }

  static ProcessResult run(Path dir, String... args) {
    List<String> argv = new ArrayList<>(List.of("git", "-C", dir.toString()));
    argv.addAll(List.of(args));
    return Command.of(argv).timeout(Duration.ofMinutes(1)).run();
  }

  /** A new repository at {@code dir} with a committer configured, as users keep one. */
  static Path init(Path dir) {
    git(dir.getParent(), "init", "-q", "-b", "main", dir.toString());
    git(dir, "config", "user.name", "Infra Tester");
    git(dir, "config", "user.email", "infra@example.org");
    return dir;
  }
}

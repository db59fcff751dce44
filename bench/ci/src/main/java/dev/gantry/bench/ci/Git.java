package dev.gantry.bench.ci;

import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real repositories for the bench, through the git command. */
final class Git {
  private Git() {}

  static String git(Path dir, String... args) {
    List<String> argv = new ArrayList<>(List.of("git"));
    argv.addAll(List.of(args));
    ProcessResult r = Command.of(argv).dir(dir).run();
    if (!r.ok()) {
      throw new IllegalStateException(String.join(" ", argv) + ": " + r.stderr());
    }
    return r.stdout().strip();
  }

  /** A bare central repository and a clone whose master holds {@code files}. */
  static Path[] centralAndClone(Path root, String... files) throws IOException {
    Path bare = root.resolve("central.git");
    git(root, "init", "-q", "--bare", "-b", "master", bare.toString());
    Path dev = root.resolve("dev");
    git(root, "clone", "-q", bare.toString(), dev.toString());
    git(dev, "config", "user.name", "Bench");
    git(dev, "config", "user.email", "bench@example.com");
    for (int i = 0; i < files.length; i += 2) {
      Path f = dev.resolve(files[i]);
      Files.createDirectories(f.getParent());
      Files.writeString(f, files[i + 1]);
    }
    git(dev, "add", "-A");
    git(dev, "commit", "-q", "-m", "initial");
    git(dev, "push", "-q", "origin", "HEAD:refs/heads/master");
    return new Path[] {bare, dev};
  }
}

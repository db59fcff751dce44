package dev.gantry.ci.testing;

import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real git repositories for tests, driven by the {@code git} command. */
public final class GitFixture {
  private final Path root;

  public GitFixture(Path root) {
    this.root = root;
  }

  /** A bare central repository whose master holds one commit with {@code files}. */
  public Path central(String name, String... pathAndContent) throws IOException {
    Path bare = root.resolve(name + ".git");
    git(root, "init", "-q", "--bare", "-b", "master", bare.toString());
    Path seed = clone(bare, name + "-seed");
    for (int i = 0; i < pathAndContent.length; i += 2) {
      write(seed, pathAndContent[i], pathAndContent[i + 1]);
    }
    commitAll(seed, "initial");
    git(seed, "push", "-q", "origin", "HEAD:refs/heads/master");
    return bare;
  }

  public Path clone(Path bare, String name) {
    Path dir = root.resolve(name);
    git(root, "clone", "-q", bare.toString(), dir.toString());
    git(dir, "config", "user.name", "Ann Author");
    git(dir, "config", "user.email", "ann@example.com");
    return dir;
  }

  public static void write(Path dir, String path, String content) throws IOException {
    Path f = dir.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
    if (path.endsWith(".sh")) {
      f.toFile().setExecutable(true);
    }
  }

  public static String commitAll(Path dir, String message) {
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", message);
    return git(dir, "rev-parse", "HEAD");
  }

  /** Runs git in {@code dir}; returns trimmed stdout, throws with stderr on failure. */
  public static String git(Path dir, String... args) {
    List<String> argv = new ArrayList<>(List.of("git"));
    argv.addAll(List.of(args));
    ProcessResult r = Command.of(argv).dir(dir).env("GIT_TERMINAL_PROMPT", "0").run();
    if (!r.ok()) {
      throw new IllegalStateException(String.join(" ", argv) + " failed in " + dir + ": " + r.stderr() + r.stdout());
    }
    return r.stdout().strip();
  }

  public static ProcessResult gitResult(Path dir, String... args) {
    List<String> argv = new ArrayList<>(List.of("git"));
    argv.addAll(List.of(args));
    return Command.of(argv).dir(dir).run();
  }
}

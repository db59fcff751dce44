package dev.gantry.cli;

import dev.gantry.core.UserError;
import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The central repository {@code gantry up} guards when none is configured: a bare repository
 * in the data directory whose {@code master} holds a small project with a
 * {@code .gantry/Pipeline.java}, so pushing to {@code review} shows the gated CI at work.
 */
final class ExampleRepository {
  private ExampleRepository() {}

  static final String PIPELINE = """
      import dev.gantry.ci.pipeline.PipelineBuilder;
      import dev.gantry.ci.pipeline.PipelineDefinition;

      /** The example's pipeline: edit it, push to review, watch the queue. */
      public class Pipeline implements PipelineDefinition {
        public void define(PipelineBuilder p) {
          var build = p.step("build").run("sh build.sh");
          p.step("test").after(build).run("sh test.sh");
        }
      }
      """;

  /** Makes the repository when it does not exist yet; returns its path. */
  static Path ensure(Path where) {
    Path bare = where.toAbsolutePath().normalize();
    if (Files.exists(bare.resolve("HEAD"))) {
      return bare;
    }
    Path work = null;
    try {
      Files.createDirectories(bare.getParent());
      git(bare.getParent(), "init", "--quiet", "--bare", "--initial-branch=master", bare.toString());
      work = Files.createTempDirectory("gantry-example");
      git(work, "init", "--quiet", "--initial-branch=master");
      Files.createDirectories(work.resolve(".gantry"));
      Files.writeString(work.resolve(".gantry/Pipeline.java"), PIPELINE);
      Files.writeString(work.resolve("build.sh"), "#!/bin/sh\nset -e\nmkdir -p out\necho \"built $GANTRY_COMMIT\" > out/result\n");
      Files.writeString(work.resolve("test.sh"), "#!/bin/sh\nset -e\ngrep -q built out/result\necho tests passed\n");
      Files.writeString(work.resolve("README.md"), "# Example\n\nPush to `review` and Gantry merges to `master` what passes.\n");
      git(work, "add", ".");
      git(work, "-c", "user.name=Gantry", "-c", "user.email=gantry@localhost", "commit", "--quiet", "-m", "Example project");
      git(work, "push", "--quiet", bare.toString(), "master");
      return bare;
    } catch (IOException e) {
      throw new UserError("cannot create the example repository in " + bare + ": " + e.getMessage(), e);
    } finally {
      if (work != null) {
        deleteTree(work);
      }
    }
  }

  private static void git(Path dir, String... args) {
    ProcessResult r = Command.of("git", args).dir(dir).timeout(Duration.ofSeconds(30)).run();
    if (r.exitCode() != 0) {
      throw new UserError("git " + String.join(" ", args) + " failed: " + r.stderr().strip());
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder left behind is harmless
    }
  }
}

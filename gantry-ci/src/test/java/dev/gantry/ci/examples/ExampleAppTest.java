package dev.gantry.ci.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.agent.PipelineLoader;
import dev.gantry.ci.pipeline.StepGraph;
import dev.gantry.ci.pipeline.StepSpec;
import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example application of the walkthrough ({@code examples/app}) as an agent meets it: its
 * pipeline loads with the steps the walkthrough describes, and its build and tests pass with
 * the JDK alone, from a copy of the folder (as a fresh clone of its repository would be).
 */
@Tag("integration")
class ExampleAppTest {
  private static final Path APP = Path.of("").toAbsolutePath().getParent().resolve("examples/app");

  @TempDir Path tmp;

  @Test
  void itsPipelineBuildsTestsAndPublishesAnImageTaggedWithTheCommit() {
    StepGraph graph = new PipelineLoader(tmp.resolve("cache")).load(APP).build();
    assertThat(graph.names()).containsExactly("build", "test", "image");
    assertThat(graph.step("test").map(StepSpec::after).orElseThrow()).containsExactly("build");
    assertThat(graph.step("image").map(StepSpec::after).orElseThrow()).containsExactly("test");
    assertThat(graph.step("image").map(StepSpec::requires).orElseThrow()).contains("docker");
  }

  @Test
  void itsBuildAndTestsPassWithTheJdkAlone() throws Exception {
    Path copy = tmp.resolve("app");
    try (Stream<Path> files = Files.walk(APP)) {
      for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
        Path rel = APP.relativize(p);
        if (rel.startsWith("out")) {
          continue; // a build left in the checkout must not stand in for this one
        }
        Path to = copy.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    // the JDK running the tests, first on the PATH, as an agent's would be
    String path = Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH");
    ProcessResult build = Command.of("sh", "build.sh").dir(copy).env("PATH", path).env("GANTRY_COMMIT", "0123abc")
        .timeout(Duration.ofMinutes(2)).run();
    assertThat(build.exitCode()).as(build.stdout() + build.stderr()).isZero();
    assertThat(build.stdout()).contains("built out/app.jar at 0123abc");
    ProcessResult test = Command.of("sh", "test.sh").dir(copy).env("PATH", path).timeout(Duration.ofMinutes(2)).run();
    assertThat(test.exitCode()).as(test.stdout() + test.stderr()).isZero();
    assertThat(test.stdout()).contains("7 tests, 0 failed").doesNotContain("FAIL");
  }
}

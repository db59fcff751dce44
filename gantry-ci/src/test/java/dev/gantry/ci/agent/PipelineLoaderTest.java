package dev.gantry.ci.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.ci.pipeline.PipelineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineLoaderTest {
  @TempDir Path tmp;

  private Path checkout(String steps) throws IOException {
    Path co = tmp.resolve("checkout");
    Files.createDirectories(co.resolve(".gantry"));
    Files.writeString(co.resolve(".gantry/Pipeline.java"), """
        import dev.gantry.ci.pipeline.*;

        public class Pipeline implements PipelineDefinition {
          public void define(PipelineBuilder p) {
        %s
          }
        }
        """.formatted(steps));
    return co;
  }

  @Test
  void loadsTheDeclaredSteps() throws IOException {
    Path co = checkout("""
            var compile = p.step("compile").run("make");
            p.step("test").after(compile).run("make test");
        """);
    assertThat(new PipelineLoader(tmp.resolve("cache")).load(co).build().names()).containsExactly("compile", "test");
  }

  @Test
  void aMistakeInAStepIsShownAtItsLine() throws IOException {
    Path co = checkout("""
            p.step("compile").run("make");
            p.step("unit test").run("make test");
        """);
    assertThatThrownBy(() -> new PipelineLoader(tmp.resolve("cache")).load(co)).isInstanceOf(PipelineException.class)
        .hasMessageStartingWith("the pipeline is not valid:\n.gantry/Pipeline.java:6: invalid step name 'unit test' (no spaces): use");
  }

  @Test
  void aCompileErrorIsShownAsBefore() throws IOException {
    Path co = checkout("        p.step(\"compile\").run(\"make\")\n");
    assertThatThrownBy(() -> new PipelineLoader(tmp.resolve("cache")).load(co)).isInstanceOf(PipelineException.class)
        .hasMessageStartingWith("the pipeline does not compile:\n.gantry/Pipeline.java:5:");
  }
}

package dev.gantry.ci.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.definition.DefinitionError;
import org.junit.jupiter.api.Test;

/** Pipelines speak the definition dialect: DefinitionError and the one name rule. */
class PipelineDialectTest {

  @Test
  void stepNamesFollowTheNameRule() {
    var p = new PipelineBuilder();
    for (String name : new String[] {"compile", "ui-test", "build.linux_x64", "Test2", "s".repeat(128)}) {
      assertThat(p.step(name).run("true").name()).isEqualTo(name);
    }
    assertThatThrownBy(() -> p.step("unit test")).isInstanceOf(DefinitionError.class)
        .hasMessageStartingWith("invalid step name 'unit test' (no spaces): use letters, digits");
    assertThatThrownBy(() -> p.step("a/b")).hasMessageStartingWith("invalid step name 'a/b' (no '/')");
    assertThatThrownBy(() -> p.step("s".repeat(129))).hasMessageContaining("(129 characters)");
  }

  @Test
  void everyMistakeIsADefinitionError() {
    var p = new PipelineBuilder();
    p.step("compile").run("make");
    assertThatThrownBy(() -> p.step("compile")).isInstanceOf(DefinitionError.class);
    assertThatThrownBy(() -> p.step("a").after((StepBuilder) null)).isInstanceOf(DefinitionError.class)
        .hasMessage("step 'a': after(null)");
    assertThatThrownBy(() -> p.step("b").run((StepAction) null)).isInstanceOf(DefinitionError.class)
        .hasMessage("step 'b': run(null)");
    var q = new PipelineBuilder();
    var make = q.step("compile").run("make");
    q.step("test").after(make).after("compil").run("make test");
    assertThatThrownBy(q::build).isInstanceOf(DefinitionError.class)
        .hasMessageContaining("step 'test' runs after unknown step 'compil'");
  }
}

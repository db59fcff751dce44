package dev.gantry.ci.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StepGraphTest {
  @Test
  void stepsComeAfterTheirDependencies() {
    var p = new PipelineBuilder();
    var t = p.step("test").run("make test");
    var c = p.step("compile").run("make").timeout(Duration.ofMinutes(5)).priority(3).retries(1).incremental().artifacts("out/*.jar");
    t.after(c);
    p.step("ui").after(c).requires("chromium").anyAgent().run(ctx -> ctx.log("hi"));
    StepGraph g = p.build();
    assertThat(g.names()).containsExactly("compile", "test", "ui");
    StepSpec compile = g.step("compile").orElseThrow();
    assertThat(compile.timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(compile.incremental()).isTrue();
    assertThat(compile.artifacts()).containsExactly("out/*.jar");
    assertThat(g.step("ui").orElseThrow().javaAction()).isTrue();
    assertThat(g.step("ui").orElseThrow().sameAgent()).isFalse();
    assertThat(g.closure("test")).containsExactly("compile", "test");
    assertThat(p.action("ui")).isPresent();
  }

  @Test
  void aCycleIsRefusedNamingItsSteps() {
    var p = new PipelineBuilder();
    p.step("a").after("c").run("x");
    p.step("b").after("a").run("x");
    p.step("c").after("b").run("x");
    assertThatThrownBy(p::build).isInstanceOf(UserError.class).hasMessageContaining("cycle").hasMessageContaining("a -> c -> b -> a");
  }

  @Test
  void anUnknownDependencyIsRefused() {
    var p = new PipelineBuilder();
    p.step("test").after("compil").run("x");
    p.step("compile").run("x");
    assertThatThrownBy(p::build).isInstanceOf(UserError.class).hasMessageContaining("unknown step 'compil'").hasMessageContaining("known: test, compile");
  }

  @Test
  void badDeclarationsAreRefused() {
    var p = new PipelineBuilder();
    p.step("a").run("x");
    assertThatThrownBy(() -> p.step("a")).hasMessageContaining("declared twice");
    assertThatThrownBy(() -> p.step("bad name")).hasMessageContaining("invalid step name");
    assertThatThrownBy(() -> p.step("b").run(" ")).hasMessageContaining("command is empty");
    assertThatThrownBy(() -> p.step("c").timeout(Duration.ZERO)).hasMessageContaining("timeout");
    p.step("nothing");
    assertThatThrownBy(p::build).hasMessageContaining("has nothing to run");
    assertThatThrownBy(() -> new PipelineBuilder().build()).hasMessageContaining("no step");
  }
}

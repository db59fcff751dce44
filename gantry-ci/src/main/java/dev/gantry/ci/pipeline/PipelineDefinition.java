package dev.gantry.ci.pipeline;

/**
 * What a repository under test implements in {@code .gantry/Pipeline.java}: the steps that
 * must pass before a patch reaches {@code master}.
 *
 * <pre>{@code
 * public class Pipeline implements PipelineDefinition {
 *   public void define(PipelineBuilder p) {
 *     var compile = p.step("compile").run("./build.sh");
 *     p.step("test").after(compile).run("./build.sh test");
 *   }
 * }
 * }</pre>
 */
public interface PipelineDefinition {
  /** Declares the steps on {@code p}. */
  void define(PipelineBuilder p);
}

package dev.gantry.ci.pipeline;

/**
 * A step written in Java instead of a shell command. It runs on the agent in its own JVM,
 * in the candidate's workspace; throwing fails the step.
 *
 * <pre>{@code
 * p.step("check-version").run(ctx -> {
 *   if (!Files.exists(ctx.workspace().resolve("VERSION"))) throw new IllegalStateException("no VERSION");
 * });
 * }</pre>
 */
@FunctionalInterface
public interface StepAction {
  void run(StepContext ctx) throws Exception;
}

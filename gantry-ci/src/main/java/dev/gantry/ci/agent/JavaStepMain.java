package dev.gantry.ci.agent;

import dev.gantry.ci.pipeline.PipelineBuilder;
import dev.gantry.ci.pipeline.StepAction;
import dev.gantry.ci.pipeline.StepContext;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs one Java step of a pipeline in a JVM of its own (so cancelling the step kills it):
 * {@code java -cp <agent class path> dev.gantry.ci.agent.JavaStepMain <workspace> <step> <classes dir>}.
 * Exits 0 when the action returns, 1 when it throws.
 */
public final class JavaStepMain {
  private JavaStepMain() {}

  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: JavaStepMain <workspace> <step> <classes dir>");
      System.exit(2);
    }
    Path workspace = Path.of(args[0]);
    String step = args[1];
    try {
      PipelineBuilder p = new PipelineLoader(Path.of(args[2])).load(workspace);
      StepAction action = p.action(step).orElseThrow(() -> new IllegalStateException("step '" + step + "' is not a Java step"));
      action.run(new StepContext() {
        @Override
        public Path workspace() {
          return workspace;
        }

        @Override
        public Map<String, String> env() {
          return System.getenv();
        }

        @Override
        public void log(String line) {
          System.out.println(line);
        }
      });
      System.out.flush();
      System.exit(0);
    } catch (Throwable t) {
      System.err.println("step '" + step + "' failed: " + t);
      for (StackTraceElement e : t.getStackTrace()) {
        System.err.println("  at " + e);
      }
      System.exit(1);
    }
  }
}

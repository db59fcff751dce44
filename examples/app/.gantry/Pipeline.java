import dev.gantry.ci.pipeline.PipelineBuilder;
import dev.gantry.ci.pipeline.PipelineDefinition;
import dev.gantry.ci.steps.ImagePush;
import dev.gantry.ci.steps.ImageSteps;
import dev.gantry.ci.steps.RegistryLogin;

/**
 * Capital's pipeline: build, test, then publish the image tagged with the commit to the
 * team's registry (on the ci machine, REGISTRY in the agent's environment), so a deploy
 * names exactly what passed. Every step runs in the same workspace (the candidate).
 */
public class Pipeline implements PipelineDefinition {
  public void define(PipelineBuilder p) {
    var build = p.step("build").run("./build.sh");
    var test = p.step("test").after(build).run("./test.sh");
    ImageSteps.buildAndPush(p, "image", ImagePush.to(registry(), "capital/app")
            .dockerfile("docker/Dockerfile").context(".")
            .login(RegistryLogin.fromEnv("REGISTRY_USER", "REGISTRY_PASSWORD")))
        .after(test);
  }

  private static String registry() {
    String r = System.getenv("REGISTRY");
    return r == null || r.isBlank() ? "127.0.0.1:5000" : r;
  }
}

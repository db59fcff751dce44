import dev.gantry.ci.pipeline.PipelineBuilder;
import dev.gantry.ci.pipeline.PipelineDefinition;
import dev.gantry.ci.steps.ImagePush;
import dev.gantry.ci.steps.ImageSteps;
import dev.gantry.ci.steps.RegistryLogin;

/**
 * Capital's pipeline: build, test, then publish the image tagged with the commit to the
 * team's registry (on the ci machine, REGISTRY in the agent's environment), so a deploy
 * names exactly what passed; then, on an agent that knows a staging host (STAGING_HOST in its
 * environment, as the walkthrough's builder), deploy that image to staging on production's
 * anonymized data (staging.sh). The gate merges only when every step passed. Every step runs
 * in the same workspace (the candidate).
 */
public class Pipeline implements PipelineDefinition {
  public void define(PipelineBuilder p) {
    var build = p.step("build").run("./build.sh");
    var test = p.step("test").after(build).run("./test.sh");
    var image = ImageSteps.buildAndPush(p, "image", ImagePush.to(registry(), "capital/app")
            .dockerfile("docker/Dockerfile").context(".")
            .login(RegistryLogin.fromEnv("REGISTRY_USER", "REGISTRY_PASSWORD")))
        .after(test);
    String staging = System.getenv("STAGING_HOST");
    if (staging != null && !staging.isBlank()) {
      p.step("staging").after(image).run("./staging.sh");
    }
  }

  private static String registry() {
    String r = System.getenv("REGISTRY");
    return r == null || r.isBlank() ? "127.0.0.1:5000" : r;
  }
}

package dev.gantry.ci.steps;

import dev.gantry.ci.pipeline.PipelineBuilder;
import dev.gantry.ci.pipeline.StepAction;
import dev.gantry.ci.pipeline.StepBuilder;
import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * CI steps that publish the candidate as an image: build {@code registry/name:commit} from a
 * Dockerfile in the workspace with the agent's Docker (its {@code DOCKER_HOST} if set) and push
 * it, so a deploy can name the commit that passed. A build or push that fails fails the step.
 * With a {@link RegistryLogin} the step logs in with a Docker configuration of its own, deleted
 * afterwards, so the agent's stays as it was; the password goes to {@code docker login} on its
 * standard input and never into the log.
 *
 * <pre>{@code
 * var test = p.step("test").run("./build.sh test");
 * ImageSteps.buildAndPush(p, "image", ImagePush.to("registry1:5000", "capital/app")
 *     .login(RegistryLogin.fromEnv("REGISTRY_USER", "REGISTRY_PASSWORD"))).after(test);
 * }</pre>
 */
public final class ImageSteps {
  private ImageSteps() {}

  /** Declares step {@code step}: a Java step that needs an agent with the {@code docker} capability. */
  public static StepBuilder buildAndPush(PipelineBuilder p, String step, ImagePush image) {
    return p.step(step).requires("docker").run(action(image));
  }

  /** The step's action, for a step declared another way. */
  public static StepAction action(ImagePush image) {
    return ctx -> buildAndPush(image, ctx.workspace(), ctx.env(), ctx::log);
  }

  /**
   * What the step does, in {@code workspace} with the agent's environment {@code agentEnv}
   * (which holds {@code GANTRY_COMMIT}), each line of output to {@code log}.
   */
  public static void buildAndPush(ImagePush image, Path workspace, Map<String, String> agentEnv, Consumer<String> log)
      throws IOException {
    String reference = image.reference(agentEnv.get("GANTRY_COMMIT"));
    Optional<RegistryLogin.Credentials> credentials = image.login().resolve(agentEnv);
    Map<String, String> env = new HashMap<>(agentEnv);
    Path config = null;
    try {
      if (credentials.isPresent()) {
        config = Files.createTempDirectory("gantry-docker-config",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        env.put("DOCKER_CONFIG", config.toString());
      }
      log.accept("[image] building " + reference + " from " + image.dockerfile());
      docker(workspace, log, env, image.build(reference), null).requireOk("building image " + reference);
      if (credentials.isPresent()) {
        RegistryLogin.Credentials c = credentials.get();
        log.accept("[image] logging in to " + image.registry() + " as " + c.user());
        docker(workspace, log, env, List.of("docker", "login", "--username", c.user(), "--password-stdin", image.registry()),
            c.password().getBytes(StandardCharsets.UTF_8)).requireOk("logging in to " + image.registry());
      }
      log.accept("[image] pushing " + reference);
      docker(workspace, log, env, List.of("docker", "push", reference), null).requireOk("pushing image " + reference);
      log.accept("[image] pushed " + reference);
    } finally {
      if (config != null) {
        Command.of("rm", "-rf", config.toString()).run().requireOk("removing the step's Docker configuration");
      }
    }
  }

  private static ProcessResult docker(Path workspace, Consumer<String> log, Map<String, String> env, List<String> argv,
      byte[] stdin) {
    Command c = Command.of(argv).dir(workspace).inheritEnv(false).env(env).onStdout(log).onStderr(log);
    return (stdin == null ? c : c.stdin(stdin)).run();
  }
}

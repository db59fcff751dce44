package dev.gantry.ci.steps;

import dev.gantry.ci.pipeline.PipelineException;
import java.util.List;

/**
 * An image to build from a Dockerfile in the candidate's workspace and push to a registry,
 * tagged with the commit under test: {@code registry/name:commit}. Paths are relative to the
 * workspace and may not leave it.
 *
 * <pre>{@code
 * ImagePush.to("registry1:5000", "capital/app").dockerfile("docker/Dockerfile").context("app")
 *     .login(RegistryLogin.fromEnv("REGISTRY_USER", "REGISTRY_PASSWORD"))
 * }</pre>
 *
 * @param registry {@code host} or {@code host:port}
 * @param name the repository in the registry, e.g. {@code capital/app}
 * @param dockerfile the Dockerfile, relative to the workspace
 * @param context the build context, relative to the workspace
 * @param login where the registry's credentials come from on the agent
 */
public record ImagePush(String registry, String name, String dockerfile, String context, RegistryLogin login) {
  public ImagePush {
    if (registry == null || !registry.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\\d{1,5})?")) {
      throw new PipelineException("registry '" + registry + "' must be host or host:port, e.g. registry1:5000");
    }
    if (name == null || !name.matches("[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*")) {
      throw new PipelineException("image name '" + name + "' must be lower-case path components, e.g. capital/app");
    }
    requireInside(dockerfile, "Dockerfile");
    requireInside(context, "build context");
    if (login == null) {
      throw new PipelineException("image " + name + ": the registry login is missing (RegistryLogin.agentsOwn() for none)");
    }
  }

  /** {@code name} for {@code registry}, built from {@code ./Dockerfile} with the workspace as context; the agent's own login. */
  public static ImagePush to(String registry, String name) {
    return new ImagePush(registry, name, "Dockerfile", ".", RegistryLogin.agentsOwn());
  }

  public ImagePush dockerfile(String path) {
    return new ImagePush(registry, name, path, context, login);
  }

  public ImagePush context(String path) {
    return new ImagePush(registry, name, dockerfile, path, login);
  }

  public ImagePush login(RegistryLogin from) {
    return new ImagePush(registry, name, dockerfile, context, from);
  }

  /** {@code registry/name:commit}; the commit must be a hexadecimal commit id. */
  public String reference(String commit) {
    if (commit == null || !commit.matches("[0-9a-f]{7,64}")) {
      throw new PipelineException("image " + name + " is tagged with the commit under test, but GANTRY_COMMIT is '" + commit + "'");
    }
    return registry + "/" + name + ":" + commit;
  }

  /** {@code docker build} of {@code reference} (the step runs it in the workspace). */
  List<String> build(String reference) {
    return List.of("docker", "build", "--tag", reference, "--file", dockerfile, context);
  }

  private static void requireInside(String path, String what) {
    if (path == null || path.isBlank() || path.startsWith("/") || List.of(path.split("/")).contains("..")) {
      throw new PipelineException("the " + what + " '" + path + "' must be a path inside the workspace");
    }
  }
}

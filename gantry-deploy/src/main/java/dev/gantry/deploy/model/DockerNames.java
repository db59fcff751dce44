package dev.gantry.deploy.model;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.definition.Names;
import java.util.regex.Pattern;

/**
 * The names of systems and services: the rule of {@link Names}, and no upper case or
 * {@code '.'}, because they become Docker names as they are. docker-compose 1.29 lower-cases
 * a project name and drops its dots, so the containers of a system {@code "My.App"} would be
 * labelled {@code myapp} and Gantry, looking for {@code My.App}, would not find them; a
 * service's name (in container names, Swarm services and the front end's upstreams) keeps
 * to the same rule so a system's names read alike everywhere.
 *
 * <pre>{@code
 * DockerNames.require("system", "capital");   // "capital"
 * DockerNames.require("service", "App");      // DefinitionError: invalid service name 'App' (Docker ...
 * }</pre>
 */
final class DockerNames {
  private static final Pattern DOCKER = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  private DockerNames() {}

  static String require(String kind, String name) {
    if (name == null || !DOCKER.matcher(name).matches() || !Names.isValid(name)) {
      String why = Names.isValid(name) ? "Docker Compose names have no upper case or '.'" : Names.why(name);
      throw new DefinitionError("invalid " + kind + " name '" + name + "' (" + why + "): use lower-case letters,"
          + " digits, '_' or '-', starting with a letter or digit, at most " + Names.MAX_LENGTH + " characters");
    }
    return name;
  }
}

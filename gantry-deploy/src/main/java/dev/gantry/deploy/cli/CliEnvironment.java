package dev.gantry.deploy.cli;

import dev.gantry.core.infra.Infrastructure;
import dev.gantry.core.infra.InfraDefinition;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What the deploy commands take from outside: how the infrastructure definition is loaded,
 * the environment variables (S3 keys, notification URLs), and the clock.
 *
 * <pre>{@code
 * new CommandLine(new DeployCommand(CliEnvironment.standard()));
 * }</pre>
 *
 * @param loader (infra repository, data dir) to the declared infrastructure
 */
public record CliEnvironment(BiFunction<Path, Path, Infrastructure> loader, Map<String, String> env, Clock clock) {

  /** Loads the repository's definition as every command does ({@link InfraDefinition}). */
  public static CliEnvironment standard() {
    return new CliEnvironment((repo, dataDir) -> InfraDefinition.load(repo), System.getenv(), Clock.systemUTC());
  }
}

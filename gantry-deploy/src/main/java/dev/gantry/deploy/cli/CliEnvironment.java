package dev.gantry.deploy.cli;

import dev.gantry.core.definition.DefinitionLoader;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.core.infra.InfrastructureDefinition;
import java.nio.file.Files;
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

  /** Compiles {@code <repo>/infra/} (or the repo itself when it holds the sources) with the definition loader. */
  public static CliEnvironment standard() {
    return new CliEnvironment(CliEnvironment::loadDefinition, System.getenv(), Clock.systemUTC());
  }

  static Infrastructure loadDefinition(Path repo, Path dataDir) {
    Path sources = Files.isDirectory(repo.resolve("infra")) ? repo.resolve("infra") : repo;
    DefinitionLoader loader = new DefinitionLoader(dataDir.resolve("cache/definitions"));
    return Infrastructure.of(loader.load(sources, InfrastructureDefinition.class));
  }
}

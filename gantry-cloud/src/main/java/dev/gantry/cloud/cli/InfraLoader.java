package dev.gantry.cloud.cli;

import dev.gantry.core.definition.DefinitionLoader;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.core.infra.InfrastructureDefinition;
import java.nio.file.Path;

/**
 * Turns the infrastructure definition ({@code infra/Infra.java} or the {@code infra} folder)
 * into an {@link Infrastructure}; {@link #compiling()} is the real one, tests give their own.
 *
 * <pre>{@code
 * Infrastructure infra = InfraLoader.compiling().load(Path.of("infra/Infra.java"), Path.of("gantry-data"));
 * }</pre>
 */
@FunctionalInterface
public interface InfraLoader {
  /** Loads {@code definition}; {@code dataDir} holds caches. */
  Infrastructure load(Path definition, Path dataDir);

  /** Compiles the definition with gantry-core's loader, caching classes under the data directory. */
  static InfraLoader compiling() {
    return (definition, dataDir) -> Infrastructure.of(new DefinitionLoader(dataDir.resolve("cache/definitions"))
        .load(definition, InfrastructureDefinition.class));
  }
}

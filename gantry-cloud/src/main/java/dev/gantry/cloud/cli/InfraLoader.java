package dev.gantry.cloud.cli;

import dev.gantry.core.infra.Infrastructure;
import dev.gantry.core.infra.InfraDefinition;
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

  /** Loads the definition as every command does ({@link InfraDefinition}). */
  static InfraLoader compiling() {
    return (definition, dataDir) -> InfraDefinition.load(definition);
  }
}

package dev.gantry.core.infra;

import dev.gantry.core.definition.DefinitionError;
import java.util.Objects;

/** A system that a host runs at a release (the images' tag, e.g. a commit id). */
public record Deployment(Deployable system, String release) {
  public Deployment {
    Objects.requireNonNull(system, "system");
    if (release == null || release.isBlank()) {
      throw new DefinitionError("system '" + system.name() + "': the release must not be empty");
    }
  }
}

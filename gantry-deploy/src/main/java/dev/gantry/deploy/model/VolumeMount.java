package dev.gantry.deploy.model;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.definition.Names;

/** A named data volume mounted at {@code path} in a service's containers. */
public record VolumeMount(String volume, String path) {
  public VolumeMount {
    Names.require("volume", volume);
    if (path == null || !path.startsWith("/")) {
      throw new DefinitionError("volume '" + volume + "': mount path '" + path + "' must be absolute");
    }
  }
}

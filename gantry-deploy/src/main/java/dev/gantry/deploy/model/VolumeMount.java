package dev.gantry.deploy.model;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.definition.Names;

/**
 * A named data volume mounted at {@code path} in a service's containers; {@code shared} when
 * the service's code keeps it safe for two copies at once ({@link Service.Builder#sharedVolume}).
 */
public record VolumeMount(String volume, String path, boolean shared) {
  public VolumeMount(String volume, String path) {
    this(volume, path, false);
  }

  public VolumeMount {
    Names.require("volume", volume);
    if (path == null || !path.startsWith("/")) {
      throw new DefinitionError("volume '" + volume + "': mount path '" + path + "' must be absolute");
    }
  }
}

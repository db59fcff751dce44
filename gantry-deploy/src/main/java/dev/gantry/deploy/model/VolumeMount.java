package dev.gantry.deploy.model;

import dev.gantry.core.UserError;

import java.util.regex.Pattern;

/** A named data volume mounted at {@code path} in a service's containers. */
public record VolumeMount(String volume, String path) {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

  public VolumeMount {
    if (volume == null || !NAME.matcher(volume).matches()) {
      throw new UserError("volume name '" + volume + "' must match " + NAME.pattern());
    }
    if (path == null || !path.startsWith("/")) {
      throw new UserError("volume '" + volume + "': mount path '" + path + "' must be absolute");
    }
  }
}

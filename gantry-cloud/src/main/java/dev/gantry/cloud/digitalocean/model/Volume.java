package dev.gantry.cloud.digitalocean.model;

import java.util.List;

/** A block storage volume; {@code dropletIds} lists where it is attached (at most one). */
public record Volume(String id, String name, long sizeGigabytes, Region region, List<Long> dropletIds,
    String description, String filesystemType) {
  public Volume {
    dropletIds = dropletIds == null ? List.of() : List.copyOf(dropletIds);
  }
}

package dev.gantry.cloud.digitalocean.model;

import java.util.List;

/** A distribution image, snapshot or backup; {@code slug} is null for private images. */
public record Image(long id, String name, String type, String distribution, String slug, @com.fasterxml.jackson.annotation.JsonProperty("public") boolean isPublic,
    List<String> regions, String status) {
  public Image {
    regions = regions == null ? List.of() : List.copyOf(regions);
  }
}

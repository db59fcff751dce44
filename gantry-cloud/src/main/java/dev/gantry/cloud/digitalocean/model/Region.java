package dev.gantry.cloud.digitalocean.model;

import java.util.List;

/** A data centre region, e.g. {@code sgp1}. */
public record Region(String slug, String name, boolean available, List<String> sizes, List<String> features) {
  public Region {
    sizes = sizes == null ? List.of() : List.copyOf(sizes);
    features = features == null ? List.of() : List.copyOf(features);
  }
}

package dev.gantry.cloud.digitalocean.model;

import java.util.List;

/** A droplet size, e.g. {@code s-1vcpu-1gb}: memory in MB, disk in GB, prices in USD. */
public record Size(String slug, int memory, int vcpus, int disk, double transfer, double priceMonthly,
    double priceHourly, boolean available, List<String> regions, String description) {
  public Size {
    regions = regions == null ? List.of() : List.copyOf(regions);
  }
}

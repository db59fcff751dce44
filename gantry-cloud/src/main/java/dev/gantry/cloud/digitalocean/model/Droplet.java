package dev.gantry.cloud.digitalocean.model;

import java.util.List;
import java.util.Optional;

/** A droplet as the API describes it (the fields Gantry uses). */
public record Droplet(long id, String name, int memory, int vcpus, int disk, boolean locked, String status,
    String createdAt, Region region, Image image, String sizeSlug, Networks networks, List<String> tags,
    List<String> volumeIds, String vpcUuid) {
  public Droplet {
    tags = tags == null ? List.of() : List.copyOf(tags);
    volumeIds = volumeIds == null ? List.of() : List.copyOf(volumeIds);
    networks = networks == null ? new Networks(List.of(), List.of()) : networks;
  }

  /** The public IPv4 address once the droplet has one. */
  public Optional<String> publicIpv4() {
    return networks.v4().stream().filter(a -> "public".equals(a.type())).map(Networks.Address::ipAddress).findFirst();
  }

  public String regionSlug() {
    return region == null ? "" : region.slug();
  }
}

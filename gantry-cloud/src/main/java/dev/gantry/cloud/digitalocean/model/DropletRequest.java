package dev.gantry.cloud.digitalocean.model;

import java.util.List;
import java.util.Objects;

/**
 * What a new droplet is made of. {@code sshKeys} are key ids or fingerprints; {@code userData}
 * is cloud-init data run at first boot.
 *
 * <pre>{@code
 * new DropletRequest("web1", "sgp1", "s-1vcpu-1gb", "debian-12-x64", List.of("3b:16:..."), List.of("web"), null, null);
 * }</pre>
 */
public record DropletRequest(String name, String region, String size, String image, List<String> sshKeys,
    List<String> tags, String userData, String vpcUuid) {
  public DropletRequest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(image, "image");
    sshKeys = sshKeys == null ? List.of() : List.copyOf(sshKeys);
    tags = tags == null ? List.of() : List.copyOf(tags);
  }
}

package dev.gantry.cloud.digitalocean.model;

import java.util.List;

/** A droplet's addresses. */
public record Networks(List<Address> v4, List<Address> v6) {
  public Networks {
    v4 = v4 == null ? List.of() : List.copyOf(v4);
    v6 = v6 == null ? List.of() : List.copyOf(v6);
  }

  /** One address; {@code type} is {@code public} or {@code private}. */
  public record Address(String ipAddress, String netmask, String gateway, String type) {}
}

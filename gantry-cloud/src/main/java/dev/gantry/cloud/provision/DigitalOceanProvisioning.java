package dev.gantry.cloud.provision;

import dev.gantry.core.infra.Provisioning;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A host made as a DigitalOcean droplet. Built fluently in the infrastructure definition;
 * region, size and image are required.
 *
 * <pre>{@code
 * i.host("web1").provisionedBy(digitalOcean().region("sgp1").size("s-1vcpu-1gb").image("debian-12-x64")
 *     .sshKeys("3b:16:bf:e4:8b:00:8b:b8:59:8c:a9:d3:f0:19:45:fa").tags("web"));
 * }</pre>
 */
public record DigitalOceanProvisioning(String region, String size, String image, List<String> sshKeys,
    List<String> tags, String vpcUuid, String userData) implements Provisioning {
  public DigitalOceanProvisioning {
    sshKeys = List.copyOf(sshKeys);
    tags = List.copyOf(tags);
  }

  /** Nothing chosen yet. */
  public static DigitalOceanProvisioning empty() {
    return new DigitalOceanProvisioning(null, null, null, List.of(), List.of(), null, null);
  }

  /** The region slug, e.g. {@code sgp1}. */
  public DigitalOceanProvisioning region(String region) {
    return new DigitalOceanProvisioning(Objects.requireNonNull(region, "region"), size, image, sshKeys, tags, vpcUuid, userData);
  }

  /** The size slug, e.g. {@code s-1vcpu-1gb}. */
  public DigitalOceanProvisioning size(String size) {
    return new DigitalOceanProvisioning(region, Objects.requireNonNull(size, "size"), image, sshKeys, tags, vpcUuid, userData);
  }

  /** The image slug or id, e.g. {@code debian-12-x64}. */
  public DigitalOceanProvisioning image(String image) {
    return new DigitalOceanProvisioning(region, size, Objects.requireNonNull(image, "image"), sshKeys, tags, vpcUuid, userData);
  }

  /** Account SSH keys (ids or fingerprints) installed for root. */
  public DigitalOceanProvisioning sshKeys(String... keys) {
    List<String> all = new ArrayList<>(sshKeys);
    all.addAll(List.of(keys));
    return new DigitalOceanProvisioning(region, size, image, all, tags, vpcUuid, userData);
  }

  public DigitalOceanProvisioning tags(String... more) {
    List<String> all = new ArrayList<>(tags);
    all.addAll(List.of(more));
    return new DigitalOceanProvisioning(region, size, image, sshKeys, all, vpcUuid, userData);
  }

  public DigitalOceanProvisioning vpc(String uuid) {
    return new DigitalOceanProvisioning(region, size, image, sshKeys, tags, uuid, userData);
  }

  /** Cloud-init user data run at first boot. */
  public DigitalOceanProvisioning userData(String cloudInit) {
    return new DigitalOceanProvisioning(region, size, image, sshKeys, tags, vpcUuid, cloudInit);
  }

  @Override
  public String describe() {
    return "digitalocean " + orQuestion(region) + " " + orQuestion(size) + " " + orQuestion(image);
  }

  private static String orQuestion(String s) {
    return s == null ? "?" : s;
  }
}

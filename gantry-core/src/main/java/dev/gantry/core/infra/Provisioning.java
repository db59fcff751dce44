package dev.gantry.core.infra;

/**
 * How a host comes into existence (a DigitalOcean droplet, a local lab host); defined by
 * the provisioning capability.
 */
public interface Provisioning {
  /** One line for listings, e.g. {@code "digitalocean sgp1 s-1vcpu-1gb debian-12-x64"}. */
  String describe();
}

package dev.gantry.cloud.digitalocean.model;

/** A reserved IPv4 address; {@code droplet} is null while unassigned. */
public record ReservedIp(String ip, Region region, Droplet droplet, boolean locked) {}

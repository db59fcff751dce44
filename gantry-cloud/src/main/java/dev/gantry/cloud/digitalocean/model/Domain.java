package dev.gantry.cloud.digitalocean.model;

/** A DNS zone managed by DigitalOcean. */
public record Domain(String name, Integer ttl) {}

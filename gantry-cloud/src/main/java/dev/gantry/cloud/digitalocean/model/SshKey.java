package dev.gantry.cloud.digitalocean.model;

/** A public key registered with the account, installed on droplets created with it. */
public record SshKey(long id, String fingerprint, String publicKey, String name) {}

package dev.gantry.cloud.digitalocean.model;

/** A tag; resources are grouped and acted on by tag. */
public record Tag(String name) {}

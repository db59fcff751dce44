package dev.gantry.cloud.digitalocean.model;

import java.util.List;

/** A new volume: size in GiB, region slug, and a filesystem made on it ({@code ext4}/{@code xfs}). */
public record VolumeRequest(String name, long sizeGigabytes, String region, String description,
    String filesystemType, List<String> tags) {}

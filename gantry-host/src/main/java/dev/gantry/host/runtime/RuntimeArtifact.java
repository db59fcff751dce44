package dev.gantry.host.runtime;

import java.nio.file.Path;

/**
 * A part of the host runtime (the Java image, or Gantry's jars) packed as a .tar.gz, with
 * an id derived from its content: a host that already has the id needs nothing uploaded.
 */
public record RuntimeArtifact(String id, Path archive) {}

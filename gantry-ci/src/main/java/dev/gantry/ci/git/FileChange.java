package dev.gantry.ci.git;

/** One line of a diff stat. */
public record FileChange(String path, int added, int removed) {}

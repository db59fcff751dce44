package dev.gantry.ci.git;

import java.time.Instant;

/** One commit as the patch page lists it. */
public record CommitInfo(String sha, String author, String subject, Instant when) {}

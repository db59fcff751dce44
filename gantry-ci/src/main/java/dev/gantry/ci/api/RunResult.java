package dev.gantry.ci.api;

/** How a step run ended. */
public record RunResult(boolean passed, int exitCode, String message) {}

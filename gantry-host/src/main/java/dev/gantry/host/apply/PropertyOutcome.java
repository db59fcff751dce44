package dev.gantry.host.apply;

import dev.gantry.host.property.Result;

/** The result of one top-level property of a host, with its position and how long it took. */
public record PropertyOutcome(int index, String describe, Result result, long millis) {}

package dev.gantry.ci.api;

import dev.gantry.ci.pipeline.StepGraph;

/** The outcome of "prepare": the step graph, or why the pipeline cannot run (compiler messages). */
public record PrepareReport(StepGraph graph, String error) {}

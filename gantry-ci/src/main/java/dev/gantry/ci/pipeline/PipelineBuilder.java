package dev.gantry.ci.pipeline;

import dev.gantry.core.definition.Names;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Collects the steps a {@link PipelineDefinition} declares.
 *
 * <pre>{@code
 * var p = new PipelineBuilder();
 * new Pipeline().define(p);
 * StepGraph graph = p.build();
 * }</pre>
 */
public final class PipelineBuilder {
  private final Map<String, StepBuilder> steps = new LinkedHashMap<>();

  /** Declares a step; names are unique and follow core's {@link Names} rule. */
  public StepBuilder step(String name) {
    Names.require("step", name);
    if (steps.containsKey(name)) {
      throw new PipelineException("step '" + name + "' is declared twice");
    }
    StepBuilder b = new StepBuilder(name);
    steps.put(name, b);
    return b;
  }

  /** Validates the declared steps into a graph (cycles and unknown names are errors). */
  public StepGraph build() {
    List<StepSpec> specs = steps.values().stream().map(StepBuilder::toSpec).toList();
    return StepGraph.of(specs);
  }

  /** The Java action of a step, when the step is one. */
  public Optional<StepAction> action(String step) {
    return Optional.ofNullable(steps.get(step)).map(StepBuilder::action);
  }
}

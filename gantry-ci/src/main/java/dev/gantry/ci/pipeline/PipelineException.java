package dev.gantry.ci.pipeline;

import dev.gantry.core.definition.DefinitionError;

/**
 * A pipeline definition that cannot run: a cycle, an unknown step, a step with nothing to
 * run, a bad name; the pipeline's kind of {@link DefinitionError}.
 */
public final class PipelineException extends DefinitionError {
  private static final long serialVersionUID = 1L;

  public PipelineException(String message) {
    super(message);
  }
}

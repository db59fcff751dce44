package dev.gantry.ci.pipeline;

import dev.gantry.core.UserError;

/** A pipeline definition that cannot run: a cycle, an unknown step, a step with nothing to run. */
public final class PipelineException extends UserError {
  private static final long serialVersionUID = 1L;

  public PipelineException(String message) {
    super(message);
  }
}

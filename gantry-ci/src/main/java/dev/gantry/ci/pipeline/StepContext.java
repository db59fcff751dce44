package dev.gantry.ci.pipeline;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a {@link StepAction} sees: the checked-out candidate, the step's environment
 * ({@code GANTRY_COMMIT}, {@code GANTRY_CANDIDATE}, {@code GANTRY_STEP}, {@code GANTRY_RUN_URL},
 * {@code GANTRY_PATCHES}) and a log writer whose lines reach the run page.
 *
 * <pre>{@code
 * ctx.log("testing " + ctx.env().get("GANTRY_COMMIT"));
 * }</pre>
 */
public interface StepContext {
  Path workspace();

  Map<String, String> env();

  void log(String line);
}

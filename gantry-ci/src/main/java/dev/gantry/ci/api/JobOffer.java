package dev.gantry.ci.api;

import dev.gantry.ci.pipeline.StepSpec;
import java.util.List;

/**
 * A run handed to an agent.
 *
 * @param prepare true: check out, compile the pipeline and report its steps; false: run {@code step}
 * @param repository where to fetch {@code ref} from
 * @param ref the published candidate, e.g. {@code refs/gantry/candidates/12}
 * @param patches {@code "<id>:<branch>:<commit>"} for each patch in the candidate
 */
public record JobOffer(
    long run,
    long candidate,
    boolean prepare,
    String repository,
    String ref,
    String commit,
    StepSpec step,
    List<String> patches,
    String runUrl) {

  public JobOffer {
    patches = List.copyOf(patches);
  }
}

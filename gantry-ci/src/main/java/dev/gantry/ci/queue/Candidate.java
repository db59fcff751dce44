package dev.gantry.ci.queue;

import dev.gantry.ci.pipeline.StepGraph;
import java.time.Instant;
import java.util.List;

/**
 * What is being tested: {@code master} (at {@code base}) with {@code patches} merged in order.
 *
 * @param probe a bisection probe runs only {@code probeStep} and its dependencies, and is never merged
 * @param base the master commit it is built on; null until built (a probe's is fixed in advance)
 * @param commit the merge result agents check out; null until built
 * @param graph the steps to run, known once an agent prepared it
 */
public record Candidate(
    long id,
    List<Long> patches,
    boolean probe,
    String probeStep,
    String base,
    String commit,
    CandidateStatus status,
    StepGraph graph,
    Instant created) {

  public Candidate {
    patches = List.copyOf(patches);
  }

  Candidate built(String b, String c) {
    return new Candidate(id, patches, probe, probeStep, b, c, CandidateStatus.PREPARING, graph, created);
  }

  Candidate running(StepGraph g) {
    return new Candidate(id, patches, probe, probeStep, base, commit, CandidateStatus.RUNNING, g, created);
  }

  Candidate merging() {
    return new Candidate(id, patches, probe, probeStep, base, commit, CandidateStatus.MERGING, graph, created);
  }
}

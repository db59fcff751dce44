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
 * @param stackCommit for a probe of a stack ({@link StackSearch}), the commit of its last patch
 *     to merge instead of that patch's tip; null otherwise
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
    Instant created,
    String stackCommit) {

  public Candidate {
    patches = List.copyOf(patches);
  }

  public Candidate(long id, List<Long> patches, boolean probe, String probeStep, String base, String commit, CandidateStatus status,
      StepGraph graph, Instant created) {
    this(id, patches, probe, probeStep, base, commit, status, graph, created, null);
  }

  Candidate built(String b, String c) {
    return new Candidate(id, patches, probe, probeStep, b, c, CandidateStatus.PREPARING, graph, created, stackCommit);
  }

  Candidate running(StepGraph g) {
    return new Candidate(id, patches, probe, probeStep, base, commit, CandidateStatus.RUNNING, g, created, stackCommit);
  }

  Candidate merging() {
    return new Candidate(id, patches, probe, probeStep, base, commit, CandidateStatus.MERGING, graph, created, stackCommit);
  }
}

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
 * <p>A follower (a speculative candidate behind the head, see {@link QueueState#followers()})
 * holds only the patches it adds; its base is the commit of the candidate ahead of it, so its
 * commit contains every patch ahead.
 *
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

  Candidate waitingFor(String b) {
    return new Candidate(id, patches, probe, probeStep, b, commit, b == null ? CandidateStatus.WAITING : CandidateStatus.BUILDING, graph, created,
        stackCommit);
  }

  Candidate ended(CandidateStatus s) {
    return new Candidate(id, patches, probe, probeStep, base, commit, s, graph, created, stackCommit);
  }

  Candidate merging() {
    return new Candidate(id, patches, probe, probeStep, base, commit, CandidateStatus.MERGING, graph, created, stackCommit);
  }
}

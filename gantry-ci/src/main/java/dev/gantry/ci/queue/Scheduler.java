package dev.gantry.ci.queue;

import dev.gantry.ci.pipeline.StepGraph;
import dev.gantry.ci.pipeline.StepSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the run an agent gets when it asks for work: "prepare" first, then ready steps
 * (dependencies passed) whose capabilities the agent has, highest priority first, keeping
 * the steps of a workspace group on one agent.
 *
 * <pre>{@code
 * Optional<Job> next = Scheduler.pick(state, "agent-1", Set.of("linux"));
 * }</pre>
 */
public final class Scheduler {
  private Scheduler() {}

  public static Optional<Job> pick(QueueState state, String agent, Set<String> capabilities) {
    Candidate c = state.active();
    if (c == null) {
      return Optional.empty();
    }
    List<Job> pending = state.jobs().values().stream().filter(j -> j.status() == JobStatus.PENDING).toList();
    if (pending.isEmpty()) {
      return Optional.empty();
    }
    StepGraph graph = c.graph();
    PinGroups groups = graph == null ? null : PinGroups.of(graph);
    Comparator<Job> order = Comparator.comparing((Job j) -> !j.prepare())
        .thenComparing(j -> -priority(graph, j))
        .thenComparing(j -> index(graph, j))
        .thenComparing(Job::id);
    return pending.stream().sorted(order).filter(j -> fits(state, graph, groups, j, agent, capabilities)).findFirst();
  }

  private static boolean fits(QueueState s, StepGraph graph, PinGroups groups, Job job, String agent, Set<String> caps) {
    if (job.prepare()) {
      return true;
    }
    StepSpec spec = graph.step(job.step()).orElseThrow();
    for (String dep : spec.after()) {
      Optional<Job> latest = latest(s, dep);
      if (latest.isEmpty() || !latest.get().status().ok()) {
        return false;
      }
    }
    if (!caps.containsAll(spec.requires())) {
      return false;
    }
    Set<String> members = groups.members(job.step());
    Optional<String> pinned = members.stream().map(m -> latest(s, m)).flatMap(Optional::stream)
        .filter(j -> j.agent() != null && (j.status() == JobStatus.RUNNING || j.status() == JobStatus.PASSED))
        .map(Job::agent).findFirst();
    if (pinned.isPresent()) {
      return pinned.get().equals(agent);
    }
    return caps.containsAll(groups.requires(job.step()));
  }

  /** The most recent run of {@code step} on the active candidate. */
  static Optional<Job> latest(QueueState s, String step) {
    return s.jobs().values().stream().filter(j -> j.step().equals(step)).max(Comparator.comparingLong(Job::id));
  }

  private static int priority(StepGraph g, Job j) {
    return g == null || j.prepare() ? 0 : g.step(j.step()).map(StepSpec::priority).orElse(0);
  }

  private static int index(StepGraph g, Job j) {
    return g == null || j.prepare() ? -1 : g.names().indexOf(j.step());
  }
}

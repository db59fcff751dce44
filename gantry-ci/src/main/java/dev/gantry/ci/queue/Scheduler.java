package dev.gantry.ci.queue;

import dev.gantry.ci.pipeline.StepGraph;
import dev.gantry.ci.pipeline.StepSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Chooses the run an agent gets when it asks for work: "prepare" first, then ready steps
 * (dependencies passed) whose capabilities the agent has, highest priority first, keeping
 * the steps of a workspace group on one agent. The active candidate's runs go first, then each
 * follower's in order (see {@link QueueState#followers()}); workspace groups are per candidate.
 *
 * <pre>{@code
 * Optional<Job> next = Scheduler.pick(state, "agent-1", Set.of("linux"));
 * }</pre>
 */
public final class Scheduler {
  private Scheduler() {}

  public static Optional<Job> pick(QueueState state, String agent, Set<String> capabilities) {
    for (Candidate c : state.candidates()) {
      Optional<Job> job = pick(state, c, agent, capabilities);
      if (job.isPresent()) {
        return job;
      }
    }
    return Optional.empty();
  }

  private static Optional<Job> pick(QueueState state, Candidate c, String agent, Set<String> capabilities) {
    List<Job> pending = state.jobs().values().stream().filter(j -> j.candidate() == c.id() && j.status() == JobStatus.PENDING).toList();
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
    if (!depsPassed(s, graph, job)) {
      return false;
    }
    if (!caps.containsAll(spec.requires())) {
      return false;
    }
    Optional<String> pinned = pinnedAgent(s, groups, job);
    if (pinned.isPresent()) {
      return pinned.get().equals(agent);
    }
    return caps.containsAll(groups.requires(job.step()));
  }

  /**
   * Why each ready run that no online agent can take waits, in words for the status, the UI
   * and its log ("waiting for an agent offering gpu; online: local [linux]"). A run whose
   * dependencies have not passed yet, or that an online agent could take once it has a free
   * slot, is not listed: it waits for a reason that ends by itself.
   *
   * @param online each online agent's name to its capabilities
   */
  public static Map<Long, String> whyWaiting(QueueState state, Map<String, Set<String>> online) {
    Map<Long, String> out = new TreeMap<>();
    String agents = online.isEmpty() ? "no agent is online" : "online: " + online.entrySet().stream()
        .map(e -> e.getKey() + " " + new TreeSet<>(e.getValue())).sorted().collect(Collectors.joining(", "));
    for (Candidate c : state.candidates()) {
      whyWaiting(state, c, online, agents, out);
    }
    return out;
  }

  private static void whyWaiting(QueueState state, Candidate c, Map<String, Set<String>> online, String agents, Map<Long, String> out) {
    StepGraph graph = c.graph();
    PinGroups groups = graph == null ? null : PinGroups.of(graph);
    for (Job j : state.jobs().values()) {
      if (j.candidate() != c.id() || j.status() != JobStatus.PENDING || (!j.prepare() && !depsPassed(state, graph, j))) {
        continue;
      }
      boolean someoneCan = online.entrySet().stream()
          .anyMatch(a -> fits(state, graph, groups, j, a.getKey(), a.getValue()));
      if (someoneCan) {
        continue;
      }
      Set<String> needs = j.prepare() ? Set.of() : new TreeSet<>(groups.requires(j.step()));
      Optional<String> pinned = j.prepare() ? Optional.empty() : pinnedAgent(state, groups, j);
      String what = pinned.isPresent() ? "agent " + pinned.get() + " (it holds the workspace of this step's group)"
          : needs.isEmpty() ? "an agent" : "an agent offering " + String.join(", ", needs);
      out.put(j.id(), "waiting for " + what + "; " + agents);
    }
  }

  private static boolean depsPassed(QueueState s, StepGraph graph, Job job) {
    return graph.step(job.step()).map(spec -> spec.after().stream()
        .allMatch(dep -> latest(s, job.candidate(), dep).map(l -> l.status().ok()).orElse(false))).orElse(false);
  }

  private static Optional<String> pinnedAgent(QueueState s, PinGroups groups, Job job) {
    return groups.members(job.step()).stream().map(m -> latest(s, job.candidate(), m)).flatMap(Optional::stream)
        .filter(j -> j.agent() != null && (j.status() == JobStatus.RUNNING || j.status() == JobStatus.PASSED))
        .map(Job::agent).findFirst();
  }

  /** The most recent run of {@code step} on candidate {@code candidate}. */
  static Optional<Job> latest(QueueState s, long candidate, String step) {
    return s.jobs().values().stream().filter(j -> j.candidate() == candidate && j.step().equals(step)).max(Comparator.comparingLong(Job::id));
  }

  private static int priority(StepGraph g, Job j) {
    return g == null || j.prepare() ? 0 : g.step(j.step()).map(StepSpec::priority).orElse(0);
  }

  private static int index(StepGraph g, Job j) {
    return g == null || j.prepare() ? -1 : g.names().indexOf(j.step());
  }
}

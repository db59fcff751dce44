package dev.gantry.ci.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One step of a pipeline as data: what the server schedules and the agent runs.
 *
 * @param name unique within the pipeline
 * @param command the shell command ({@code sh -c}); null for a Java step
 * @param javaAction true when the step is a {@link StepAction}
 * @param after names of the steps that must pass first
 * @param requires agent capabilities the step needs, e.g. {@code docker}
 * @param timeout the step is killed (whole process tree) after this long
 * @param priority higher runs first among ready steps
 * @param retries how many times a failed run is tried again before the step counts as failed
 * @param incremental reuse the agent's previous workspace instead of a fresh checkout
 * @param artifacts workspace-relative glob patterns of files to keep
 * @param sameAgent run on the agent that ran the step's dependencies (their workspace)
 */
public record StepSpec(
    String name,
    String command,
    boolean javaAction,
    List<String> after,
    Set<String> requires,
    Duration timeout,
    int priority,
    int retries,
    boolean incremental,
    List<String> artifacts,
    boolean sameAgent) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);

  public StepSpec {
    after = List.copyOf(after);
    requires = Set.copyOf(requires);
    artifacts = List.copyOf(artifacts);
  }

  /** A shell step with defaults, handy in tests: {@code StepSpec.shell("test", "make test", "compile")}. */
  public static StepSpec shell(String name, String command, String... after) {
    return new StepSpec(name, command, false, List.of(after), Set.of(), DEFAULT_TIMEOUT, 0, 0, false, List.of(), true);
  }

  public StepSpec withRequires(Set<String> caps) {
    return new StepSpec(name, command, javaAction, after, caps, timeout, priority, retries, incremental, artifacts, sameAgent);
  }

  public StepSpec withRetries(int n) {
    return new StepSpec(name, command, javaAction, after, requires, timeout, priority, n, incremental, artifacts, sameAgent);
  }

  public StepSpec withPriority(int p) {
    return new StepSpec(name, command, javaAction, after, requires, timeout, p, retries, incremental, artifacts, sameAgent);
  }

  public StepSpec withSameAgent(boolean same) {
    return new StepSpec(name, command, javaAction, after, requires, timeout, priority, retries, incremental, artifacts, same);
  }
}

package dev.gantry.ci.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Fluent declaration of one step, obtained from {@link PipelineBuilder#step(String)}.
 *
 * <pre>{@code
 * p.step("ui-test").after(compile).requires("chromium").timeout(Duration.ofMinutes(20)).run("./build.sh ui");
 * }</pre>
 */
public final class StepBuilder {
  private final String name;
  private String command;
  private StepAction action;
  private final List<String> after = new ArrayList<>();
  private final Set<String> requires = new LinkedHashSet<>();
  private Duration timeout = StepSpec.DEFAULT_TIMEOUT;
  private int priority;
  private int retries;
  private boolean incremental;
  private final List<String> artifacts = new ArrayList<>();
  private boolean sameAgent = true;

  StepBuilder(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** The steps that must pass before this one. */
  public StepBuilder after(StepBuilder... steps) {
    for (StepBuilder s : steps) {
      if (s == null) {
        throw new PipelineException("step '" + name + "': after(null)");
      }
      after.add(s.name);
    }
    return this;
  }

  /** The steps that must pass before this one, by name. */
  public StepBuilder after(String... steps) {
    after.addAll(Arrays.asList(steps));
    return this;
  }

  /** Runs {@code shellCommand} with {@code sh -c} in the checked-out candidate. */
  public StepBuilder run(String shellCommand) {
    if (shellCommand == null || shellCommand.isBlank()) {
      throw new PipelineException("step '" + name + "': the command is empty");
    }
    this.command = shellCommand;
    this.action = null;
    return this;
  }

  /** Runs Java code on the agent (in a JVM of its own, so a cancel kills it). */
  public StepBuilder run(StepAction javaAction) {
    if (javaAction == null) {
      throw new PipelineException("step '" + name + "': run(null)");
    }
    this.action = javaAction;
    this.command = null;
    return this;
  }

  /** Agent capabilities the step needs, e.g. {@code requires("docker")}. */
  public StepBuilder requires(String... capabilities) {
    requires.addAll(Arrays.asList(capabilities));
    return this;
  }

  public StepBuilder timeout(Duration limit) {
    if (limit == null || limit.isNegative() || limit.isZero()) {
      throw new PipelineException("step '" + name + "': the timeout must be positive");
    }
    this.timeout = limit;
    return this;
  }

  /** Among ready steps, a higher priority is handed out first. */
  public StepBuilder priority(int value) {
    this.priority = value;
    return this;
  }

  /** A failed run is tried again up to {@code times} times (a pass on retry marks the step flaky). */
  public StepBuilder retries(int times) {
    if (times < 0) {
      throw new PipelineException("step '" + name + "': retries must be >= 0");
    }
    this.retries = times;
    return this;
  }

  /** Keeps the agent's workspace (build outputs) from the previous candidate instead of a fresh checkout. */
  public StepBuilder incremental() {
    this.incremental = true;
    return this;
  }

  /** Workspace-relative glob patterns of files the agent keeps after the step. */
  public StepBuilder artifacts(String... globs) {
    artifacts.addAll(Arrays.asList(globs));
    return this;
  }

  /** Lets the step run on any agent, in a fresh checkout, instead of beside its dependencies. */
  public StepBuilder anyAgent() {
    this.sameAgent = false;
    return this;
  }

  StepAction action() {
    return action;
  }

  StepSpec toSpec() {
    if (command == null && action == null) {
      throw new PipelineException("step '" + name + "' has nothing to run: call run(\"command\") or run(ctx -> ...)");
    }
    return new StepSpec(name, command, action != null, after, requires, timeout, priority, retries, incremental, artifacts, sameAgent);
  }
}

package dev.gantry.ci.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated pipeline: steps in an order where each comes after its dependencies.
 *
 * <pre>{@code
 * StepGraph g = StepGraph.of(List.of(StepSpec.shell("compile", "make"), StepSpec.shell("test", "make test", "compile")));
 * g.closure("test"); // [compile, test]
 * }</pre>
 */
public record StepGraph(List<StepSpec> steps) {

  public StepGraph {
    steps = List.copyOf(steps);
  }

  /** Checks names, dependencies and acyclicity; the result lists steps in dependency order. */
  public static StepGraph of(List<StepSpec> specs) {
    if (specs.isEmpty()) {
      throw new PipelineException("the pipeline declares no step");
    }
    Map<String, StepSpec> byName = new LinkedHashMap<>();
    for (StepSpec s : specs) {
      if (byName.put(s.name(), s) != null) {
        throw new PipelineException("step '" + s.name() + "' is declared twice");
      }
    }
    for (StepSpec s : specs) {
      for (String dep : s.after()) {
        if (!byName.containsKey(dep)) {
          throw new PipelineException("step '" + s.name() + "' runs after unknown step '" + dep + "' (known: " + String.join(", ", byName.keySet()) + ")");
        }
        if (dep.equals(s.name())) {
          throw new PipelineException("step '" + s.name() + "' runs after itself");
        }
      }
    }
    List<StepSpec> ordered = new ArrayList<>();
    Map<String, Integer> mark = new HashMap<>(); // 1 = visiting, 2 = done
    for (StepSpec s : specs) {
      visit(s, byName, mark, new ArrayDeque<>(), ordered);
    }
    return new StepGraph(ordered);
  }

  private static void visit(StepSpec s, Map<String, StepSpec> byName, Map<String, Integer> mark, Deque<String> path, List<StepSpec> out) {
    Integer m = mark.get(s.name());
    if (m != null && m == 2) {
      return;
    }
    path.addLast(s.name());
    if (m != null) {
      List<String> p = new ArrayList<>(path);
      throw new PipelineException("the steps form a cycle: " + String.join(" -> ", p.subList(p.indexOf(s.name()), p.size())));
    }
    mark.put(s.name(), 1);
    for (String dep : s.after()) {
      visit(byName.get(dep), byName, mark, path, out);
    }
    mark.put(s.name(), 2);
    path.removeLast();
    out.add(s);
  }

  public Optional<StepSpec> step(String name) {
    return steps.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  public List<String> names() {
    return steps.stream().map(StepSpec::name).toList();
  }

  /** {@code name} and every step it depends on, directly or not, in dependency order. */
  public Set<String> closure(String name) {
    Set<String> need = new LinkedHashSet<>();
    Deque<String> pending = new ArrayDeque<>(List.of(name));
    while (!pending.isEmpty()) {
      String n = pending.pop();
      if (need.add(n)) {
        step(n).ifPresent(s -> pending.addAll(s.after()));
      }
    }
    Set<String> ordered = new LinkedHashSet<>();
    for (StepSpec s : steps) {
      if (need.contains(s.name())) {
        ordered.add(s.name());
      }
    }
    return ordered;
  }

  /** The graph restricted to {@code names} (which must be closed under dependencies). */
  public StepGraph restrictTo(Set<String> names) {
    return new StepGraph(steps.stream().filter(s -> names.contains(s.name())).toList());
  }
}

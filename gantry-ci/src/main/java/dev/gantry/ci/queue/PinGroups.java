package dev.gantry.ci.queue;

import dev.gantry.ci.pipeline.StepGraph;
import dev.gantry.ci.pipeline.StepSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Steps that share a workspace: a step that runs beside its dependencies ({@code sameAgent})
 * joins their group, so every step of a group runs on one agent.
 */
final class PinGroups {
  private final Map<String, String> parent = new HashMap<>();
  private final StepGraph graph;

  private PinGroups(StepGraph graph) {
    this.graph = graph;
    for (StepSpec s : graph.steps()) {
      parent.put(s.name(), s.name());
    }
    for (StepSpec s : graph.steps()) {
      if (s.sameAgent()) {
        for (String dep : s.after()) {
          union(s.name(), dep);
        }
      }
    }
  }

  static PinGroups of(StepGraph graph) {
    return new PinGroups(graph);
  }

  String group(String step) {
    String p = parent.get(step);
    if (p == null) {
      return step;
    }
    while (!p.equals(parent.get(p))) {
      p = parent.get(p);
    }
    return p;
  }

  Set<String> members(String step) {
    String g = group(step);
    Set<String> out = new HashSet<>();
    for (String s : parent.keySet()) {
      if (group(s).equals(g)) {
        out.add(s);
      }
    }
    return out;
  }

  /** Every capability some step of the group requires. */
  Set<String> requires(String step) {
    Set<String> caps = new HashSet<>();
    for (String m : members(step)) {
      graph.step(m).ifPresent(s -> caps.addAll(s.requires()));
    }
    return caps;
  }

  private void union(String a, String b) {
    String ra = group(a);
    String rb = group(b);
    if (!ra.equals(rb)) {
      parent.put(ra, rb);
    }
  }
}

package dev.gantry.monitor.rules;

import dev.gantry.core.definition.Names;
import dev.gantry.monitor.stream.StreamSpec;
import java.util.Objects;

/**
 * A named stream every event goes through. The name keys the rule's state, so a reloaded
 * rule with the same name keeps its windows and partitions. The name follows core's
 * {@link Names} rule.
 *
 * <pre>{@code
 * Rule r = Rule.of("api-rate", where("service = \"api\"", rate(Duration.ofSeconds(10), index())));
 * }</pre>
 */
public record Rule(String name, StreamSpec stream) {
  public Rule {
    Objects.requireNonNull(stream, "stream");
    Names.require("rule", name);
  }

  public static Rule of(String name, StreamSpec stream) {
    return new Rule(name, stream);
  }

  /** The same rule under another name (to declare a built-in rule twice). */
  public Rule named(String newName) {
    return new Rule(newName, stream);
  }
}

package dev.gantry.monitor.rules;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.monitor.alert.AlertPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules in force and the alert policy of each, gathered from the {@link Monitoring}
 * declarations; rule names are unique.
 *
 * <pre>{@code
 * RuleSet set = RuleSet.of(Infrastructure.of(new Infra()));
 * }</pre>
 */
public record RuleSet(List<Rule> rules, Map<String, AlertPolicy> policies) {
  public RuleSet {
    rules = List.copyOf(rules);
    policies = Map.copyOf(policies);
  }

  public static RuleSet empty() {
    return new RuleSet(List.of(), Map.of());
  }

  /** The rules the infrastructure definition declares. */
  public static RuleSet of(Infrastructure infra) {
    return of(infra.declarations(Monitoring.class));
  }

  /** The rules of these declarations; a rule name used twice is a {@link DefinitionError}. */
  public static RuleSet of(Collection<Monitoring> declarations) {
    List<Rule> rules = new ArrayList<>();
    Map<String, AlertPolicy> policies = new LinkedHashMap<>();
    for (Monitoring m : declarations) {
      AlertPolicy p = m.policy();
      for (Rule r : m.ruleList()) {
        if (policies.containsKey(r.name())) {
          throw new DefinitionError("monitoring rule '" + r.name() + "' is declared twice; give one another name with .named(\"...\")");
        }
        rules.add(r);
        policies.put(r.name(), p);
      }
    }
    return new RuleSet(rules, policies);
  }
}

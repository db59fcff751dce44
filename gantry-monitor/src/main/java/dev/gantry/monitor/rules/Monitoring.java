package dev.gantry.monitor.rules;

import dev.gantry.core.infra.Declaration;
import dev.gantry.monitor.alert.AlertPolicy;
import dev.gantry.monitor.alert.Receiver;
import dev.gantry.monitor.stream.StreamSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Monitoring rules and where their alerts go, declared in the infrastructure definition.
 *
 * <pre>{@code
 * i.add(Monitoring.rules()
 *     .rule(diskFull(90))
 *     .rule(hostDown(Duration.ofMinutes(2)))
 *     .sendTo(Receivers.slack(URI.create(secrets.get("slack-webhook")))));
 * }</pre>
 */
public final class Monitoring implements Declaration {
  private final List<Rule> rules = new ArrayList<>();
  private final List<Receiver> receivers = new ArrayList<>();
  private boolean groupByHost = AlertPolicy.DEFAULT.groupByHost();
  private Duration groupWait = AlertPolicy.DEFAULT.groupWait();
  private Duration repeatInterval = AlertPolicy.DEFAULT.repeatInterval();
  private boolean sendResolved = AlertPolicy.DEFAULT.sendResolved();

  private Monitoring() {}

  /** An empty set of rules. */
  public static Monitoring rules() {
    return new Monitoring();
  }

  public Monitoring rule(Rule rule) {
    rules.add(rule);
    return this;
  }

  public Monitoring rule(String name, StreamSpec stream) {
    return rule(Rule.of(name, stream));
  }

  /** Adds receivers of these rules' alerts. */
  public Monitoring sendTo(Receiver... to) {
    receivers.addAll(List.of(to));
    return this;
  }

  /** How long to gather alerts of a group before notifying (5 s by default). */
  public Monitoring groupWait(Duration d) {
    this.groupWait = d;
    return this;
  }

  /** How often a still-firing group is notified again (4 h by default). */
  public Monitoring repeatEvery(Duration d) {
    this.repeatInterval = d;
    return this;
  }

  /** Whether resolved alerts are notified (yes by default). */
  public Monitoring sendResolved(boolean yes) {
    this.sendResolved = yes;
    return this;
  }

  /** Group by alert name and host (default), or by alert name alone. */
  public Monitoring groupByHost(boolean yes) {
    this.groupByHost = yes;
    return this;
  }

  public List<Rule> ruleList() {
    return List.copyOf(rules);
  }

  public AlertPolicy policy() {
    return new AlertPolicy(receivers, groupByHost, groupWait, repeatInterval, sendResolved);
  }
}

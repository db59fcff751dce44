package dev.gantry.monitor.stream;

import dev.gantry.monitor.alert.Condition;
import dev.gantry.monitor.alert.Receiver;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.index.Index;
import java.util.List;
import java.util.function.Supplier;

/**
 * A node's view of the engine while it is built: its position in the rule (for state),
 * the clock, the index and the outputs.
 */
public final class StreamContext {
  private final StreamRuntime runtime;
  private final String rule;
  private final String path;

  public StreamContext(StreamRuntime runtime, String rule) {
    this(runtime, rule, rule);
  }

  private StreamContext(StreamRuntime runtime, String rule, String path) {
    this.runtime = runtime;
    this.rule = rule;
    this.path = path;
  }

  /** The rule this node belongs to. */
  public String rule() {
    return rule;
  }

  /** This node's position, e.g. {@code "disk-full/0/1"}. */
  public String path() {
    return path;
  }

  /** The context of a child at {@code segment}. */
  public StreamContext child(String segment) {
    return new StreamContext(runtime, rule, path + "/" + segment);
  }

  public long nowMicros() {
    return runtime.nowMicros();
  }

  /** This node's state named {@code name}, kept across rule reloads. */
  public <T> T state(String name, Class<T> type, Supplier<T> init) {
    return runtime.states().get(path + "#" + name, type, init);
  }

  /** Forgets all state under this node (a partition that went idle). */
  public void dropState() {
    runtime.states().dropPrefix(path + "/");
    runtime.states().dropPrefix(path + "#");
  }

  public Index index() {
    return runtime.index();
  }

  public void condition(Condition c) {
    runtime.condition(rule, c);
  }

  public void deliver(List<Receiver> receivers, Event e) {
    runtime.deliver(receivers, e);
  }

  public void forward(String host, int port, Event e) {
    runtime.forward(host, port, e);
  }

  public List<dev.gantry.monitor.alert.Alert> openAlerts(String name) {
    return runtime.openAlerts(name);
  }

  public void count(String what) {
    runtime.count(what);
  }
}

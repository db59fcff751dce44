package dev.gantry.monitor.stream;

import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Where stream nodes keep their state, keyed by the node's position in its rule
 * ({@code "disk-full/0/by[web1]/2#window"}). Rebuilt nodes (after a reload) find their state
 * again under the same key; state of a different type is replaced.
 */
public final class StateRegistry {
  private final TreeMap<String, Object> states = new TreeMap<>();

  /** The state at {@code key}, created with {@code init} when absent or of another type. */
  public <T> T get(String key, Class<T> type, Supplier<T> init) {
    Object o = states.get(key);
    if (type.isInstance(o)) {
      return type.cast(o);
    }
    T fresh = init.get();
    states.put(key, fresh);
    return fresh;
  }

  /** Drops every state whose key starts with {@code prefix}. */
  public void dropPrefix(String prefix) {
    states.subMap(prefix, true, prefix + Character.MAX_VALUE, false).clear();
  }

  /** Keeps only the states of the rules named in {@code ruleNames}. */
  public void retainRules(java.util.Set<String> ruleNames) {
    states.keySet().removeIf(k -> !ruleNames.contains(k.substring(0, Math.max(0, k.indexOf('/')))));
  }

  public int size() {
    return states.size();
  }
}

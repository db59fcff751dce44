package dev.gantry.core.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings Gantry knows: each module declares its own, the command joins them.
 *
 * <pre>{@code
 * Settings all = Settings.of(ServerSettings.ALL).plus(Settings.of(MonitorSettings.ALL));
 * }</pre>
 *
 * <p>Two settings with the same key, or whose environment variables collide
 * ({@code a.b-c} and {@code a.b.c}), are a programming error.
 */
public final class Settings {
  private final Map<String, Setting<?>> byKey;

  private Settings(Map<String, Setting<?>> byKey) {
    this.byKey = byKey;
  }

  public static Settings of(Collection<? extends Setting<?>> settings) {
    Map<String, Setting<?>> byKey = new LinkedHashMap<>();
    Map<String, String> byEnv = new LinkedHashMap<>();
    for (Setting<?> s : settings) {
      if (byKey.putIfAbsent(s.key(), s) != null) {
        throw new IllegalArgumentException("setting " + s.key() + " is declared twice");
      }
      String other = byEnv.putIfAbsent(s.envName(), s.key());
      if (other != null) {
        throw new IllegalArgumentException(
            "settings " + other + " and " + s.key() + " would share the variable " + s.envName());
      }
    }
    return new Settings(byKey);
  }

  public static Settings of(Setting<?>... settings) {
    return of(List.of(settings));
  }

  /** These settings and {@code more}. */
  public Settings plus(Settings more) {
    List<Setting<?>> all = new ArrayList<>(byKey.values());
    all.addAll(more.all());
    return of(all);
  }

  public List<Setting<?>> all() {
    return List.copyOf(byKey.values());
  }

  public Optional<Setting<?>> find(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  boolean contains(Setting<?> s) {
    return byKey.get(s.key()) == s;
  }

  /** The known key closest to a mistyped one, if any is close enough to be what was meant. */
  public Optional<String> suggest(String unknown) {
    return byKey.keySet().stream()
        .map(k -> Map.entry(k, distance(unknown, k)))
        .filter(e -> e.getValue() <= Math.max(2, unknown.length() / 4))
        .min(Comparator.comparing(Map.Entry<String, Integer>::getValue))
        .map(Map.Entry::getKey);
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}

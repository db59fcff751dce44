package dev.gantry.core.config;

import dev.gantry.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The value of every known setting, taken from the first place that gives it: a command-line
 * flag, then the environment ({@code GANTRY_SERVER_PORT}), then the file {@code gantry.yml},
 * then the setting's default.
 *
 * <pre>{@code
 * Config config = Config.builder(settings)
 *     .flags(Map.of("server.port", "9090"))       // keys are setting keys
 *     .environment(System.getenv())
 *     .file(Path.of("gantry.yml"))                // may be absent
 *     .build();
 * int port = config.get(ServerSettings.PORT);
 * }</pre>
 *
 * <p>Everything is checked when the config is built: an unknown key in the file or among
 * the flags, and a value of the wrong type anywhere, are one {@link UserError} naming each
 * key and where it came from. Environment variables starting with {@code GANTRY_} that match
 * no setting are ignored, since other tools (the launcher) use that prefix too.
 */
public final class Config {
  /** Where a value came from. */
  public enum Source { FLAG, ENVIRONMENT, FILE, DEFAULT, UNSET }

  /** One line of {@link #describe()}: a setting, its shown value (secrets masked) and origin. */
  public record Entry(String key, String value, Source source, String origin, String description) {
    @Override
    public String toString() {
      return key + " = " + value + "  (" + origin + ")";
    }
  }

  private record Resolved(Object value, Source source, String origin) {}

  private final Settings settings;
  private final Map<String, Resolved> values;

  private Config(Settings settings, Map<String, Resolved> values) {
    this.settings = settings;
    this.values = values;
  }

  public static Builder builder(Settings settings) {
    return new Builder(settings);
  }

  /** Every setting at its default. */
  public static Config defaults(Settings settings) {
    return builder(settings).build();
  }

  /** The value of {@code setting}; a {@link UserError} if it has none and no default. */
  public <T> T get(Setting<T> setting) {
    return find(setting).orElseThrow(() -> new UserError("setting '" + setting.key() + "' is not set: give it in "
        + "gantry.yml, as " + setting.envName() + " in the environment, or on the command line"));
  }

  /** The value of {@code setting}, empty when it has none and no default. */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> find(Setting<T> setting) {
    return Optional.ofNullable((T) resolved(setting).value());
  }

  /** Where the value of {@code setting} came from. */
  public Source sourceOf(Setting<?> setting) {
    return resolved(setting).source();
  }

  private Resolved resolved(Setting<?> setting) {
    if (!settings.contains(setting)) {
      throw new IllegalArgumentException("setting " + setting.key() + " is not registered in these Settings");
    }
    return values.get(setting.key());
  }

  /** Every setting with its value (secrets masked) and where it came from. */
  public List<Entry> describe() {
    List<Entry> entries = new ArrayList<>();
    for (Setting<?> s : settings.all()) {
      Resolved r = values.get(s.key());
      entries.add(new Entry(s.key(), show(s, r.value()), r.source(), r.origin(), s.description()));
    }
    return entries;
  }

  @SuppressWarnings("unchecked")
  private static <T> String show(Setting<T> s, Object value) {
    return s.format((T) value);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    describe().forEach(e -> sb.append(e).append('\n'));
    return sb.toString();
  }

  /** Collects the sources, then {@link #build()} resolves and checks them. */
  public static final class Builder {
    private final Settings settings;
    private final Map<String, String> flags = new LinkedHashMap<>();
    private Map<String, String> environment = Map.of();
    private Path file;
    private boolean fileRequired;

    private Builder(Settings settings) {
      this.settings = settings;
    }

    /** Values given on the command line, by setting key; null values are ignored. */
    public Builder flags(Map<String, String> byKey) {
      byKey.forEach(this::flag);
      return this;
    }

    public Builder flag(String key, String value) {
      if (value != null) {
        flags.put(key, value);
      }
      return this;
    }

    /** The process environment, usually {@code System.getenv()}. */
    public Builder environment(Map<String, String> env) {
      environment = Map.copyOf(env);
      return this;
    }

    /** The YAML file to read when it exists (the default {@code gantry.yml}). */
    public Builder file(Path yaml) {
      file = yaml;
      fileRequired = false;
      return this;
    }

    /** The YAML file to read; its absence is an error (a file the user named). */
    public Builder requireFile(Path yaml) {
      file = yaml;
      fileRequired = true;
      return this;
    }

    public Config build() {
      List<String> problems = new ArrayList<>();
      Map<String, ConfigFile.Value> fromFile = readFile(problems);
      for (String key : flags.keySet()) {
        if (settings.find(key).isEmpty()) {
          problems.add("unknown setting '" + key + "' on the command line" + hint(key));
        }
      }
      for (ConfigFile.Value v : fromFile.values()) {
        if (settings.find(v.key()).isEmpty()) {
          problems.add(file + ":" + v.line() + ": unknown key '" + v.key() + "'" + hint(v.key()));
        }
      }
      Map<String, Resolved> values = new LinkedHashMap<>();
      for (Setting<?> s : settings.all()) {
        values.put(s.key(), resolve(s, fromFile.get(s.key()), problems));
      }
      if (!problems.isEmpty()) {
        throw new UserError(problems.size() == 1 ? problems.get(0)
            : problems.size() + " problems in the configuration:\n  " + String.join("\n  ", problems));
      }
      return new Config(settings, values);
    }

    private Map<String, ConfigFile.Value> readFile(List<String> problems) {
      if (file == null) {
        return Map.of();
      }
      if (!Files.exists(file)) {
        if (fileRequired) {
          problems.add("the configuration file " + file + " does not exist");
        }
        return Map.of();
      }
      if (!Files.isRegularFile(file)) {
        problems.add("the configuration file " + file + " is not a file");
        return Map.of();
      }
      try {
        return ConfigFile.read(file);
      } catch (UserError e) {
        problems.add(e.getMessage());
        return Map.of();
      }
    }

    private String hint(String key) {
      return settings.suggest(key).map(k -> " (did you mean '" + k + "'?)").orElse("");
    }

    /** Parses every source that gives a value, so a bad value is reported even when overridden. */
    private Resolved resolve(Setting<?> s, ConfigFile.Value inFile, List<String> problems) {
      Resolved chosen = null;
      String flag = flags.get(s.key());
      if (flag != null) {
        chosen = parse(s, flag, Source.FLAG, "command line", "bad value for '" + s.key() + "' on the command line",
            problems);
      }
      String env = environment.get(s.envName());
      if (env != null) {
        Resolved r = parse(s, env, Source.ENVIRONMENT, s.envName(),
            "bad value for '" + s.key() + "' in the environment variable " + s.envName(), problems);
        chosen = chosen == null ? r : chosen;
      }
      if (inFile != null) {
        String where = file + ":" + inFile.line();
        Resolved r;
        if (inFile.isList() && !s.isList()) {
          problems.add(where + ": bad value for '" + s.key() + "': expected " + s.expected() + ", got a list");
          r = null;
        } else if (inFile.isList()) {
          try {
            r = new Resolved(s.parseItems(inFile.items()), Source.FILE, where);
          } catch (IllegalArgumentException e) {
            problems.add(where + ": bad value for '" + s.key() + "': expected " + s.expected());
            r = null;
          }
        } else {
          r = parse(s, inFile.text(), Source.FILE, where, where + ": bad value for '" + s.key() + "'", problems);
        }
        chosen = chosen == null ? r : chosen;
      }
      if (chosen != null) {
        return chosen;
      }
      return s.defaultValue() == null ? new Resolved(null, Source.UNSET, "not set")
          : new Resolved(s.defaultValue(), Source.DEFAULT, "default");
    }

    private static Resolved parse(Setting<?> s, String text, Source source, String origin, String problem,
        List<String> problems) {
      try {
        return new Resolved(s.parse(text), source, origin);
      } catch (IllegalArgumentException e) {
        String got = s.isSecret() ? "" : ", got '" + text + "'";
        problems.add(problem + ": expected " + s.expected() + got);
        return null;
      }
    }
  }
}

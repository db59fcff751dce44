package dev.gantry.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One configuration setting: its key, type, default and what it is for. Modules declare
 * theirs as constants and register them in {@link Settings}; {@link Config} resolves them.
 *
 * <pre>{@code
 * public static final Setting<Integer> TCP_PORT =
 *     Setting.port("monitor.tcp-port", 5555, "TCP port for Riemann clients");
 * public static final Setting<Duration> TTL =
 *     Setting.duration("monitor.default-ttl", Duration.ofMinutes(1), "event lifetime when none is given");
 * public static final Setting<Secret> SLACK =
 *     Setting.secret("notify.slack-webhook", "Slack incoming-webhook URL");
 * }</pre>
 *
 * <p>The environment variable of a setting is {@code GANTRY_} followed by the key in upper
 * case with dots and dashes as underscores: {@code GANTRY_MONITOR_TCP_PORT}.
 *
 * @param <T> the type of the value
 */
public final class Setting<T> {
  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");

  private final String key;
  private final String type;
  private final T defaultValue;
  private final String description;
  private final Function<String, T> parser;
  private final Function<T, String> formatter;
  private final String expected;
  private final boolean secret;
  private final boolean list;
  private final Predicate<? super T> check;

  private Setting(String key, String type, T defaultValue, String description, Function<String, T> parser,
      Function<T, String> formatter, String expected, boolean secret, boolean list, Predicate<? super T> check) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("a setting key is dotted lower-case words like 'server.port': " + key);
    }
    this.key = key;
    this.type = type;
    this.defaultValue = defaultValue;
    this.description = Objects.requireNonNull(description);
    this.parser = parser;
    this.formatter = formatter;
    this.expected = expected;
    this.secret = secret;
    this.list = list;
    this.check = check;
    if (defaultValue != null && !check.test(defaultValue)) {
      throw new IllegalArgumentException("the default of " + key + " is not " + expected);
    }
  }

  /** Text; {@code defaultValue} may be null for "no default". */
  public static Setting<String> string(String key, String defaultValue, String description) {
    return new Setting<>(key, "string", defaultValue, description, s -> s, s -> s, "text", false, false, v -> true);
  }

  /** A whole number. */
  public static Setting<Integer> integer(String key, Integer defaultValue, String description) {
    return new Setting<>(key, "integer", defaultValue, description, s -> Integer.parseInt(s.strip()),
        String::valueOf, "an integer", false, false, v -> true);
  }

  /** A TCP/UDP port, 1 to 65535 (0 is allowed: "any free port"). */
  public static Setting<Integer> port(String key, Integer defaultValue, String description) {
    return integer(key, defaultValue, description).check(p -> p >= 0 && p <= 65535, "a port number from 0 to 65535");
  }

  /** true/false (also yes/no, on/off, 1/0). */
  public static Setting<Boolean> bool(String key, Boolean defaultValue, String description) {
    return new Setting<>(key, "boolean", defaultValue, description, Setting::parseBoolean, String::valueOf,
        "true or false", false, false, v -> true);
  }

  /** A duration such as {@code 30s}, {@code 5m}, {@code 1h30m}; see {@link Durations}. */
  public static Setting<Duration> duration(String key, Duration defaultValue, String description) {
    return new Setting<>(key, "duration", defaultValue, description, Durations::parse, Durations::format,
        Durations.expected(), false, false, v -> true);
  }

  /** A file or folder; a leading {@code ~/} means the user's home. */
  public static Setting<Path> path(String key, Path defaultValue, String description) {
    return new Setting<>(key, "path", defaultValue, description, Setting::parsePath, Path::toString, "a path",
        false, false, v -> true);
  }

  /** A secret: never printed, no default. Read it with {@link Config#find} or {@link Config#get}. */
  public static Setting<Secret> secret(String key, String description) {
    return new Setting<>(key, "secret", null, description, s -> {
      if (s.isEmpty()) {
        throw new IllegalArgumentException();
      }
      return Secret.of(s);
    }, Secret::toString, "a non-empty secret", true, false, v -> true);
  }

  /** One of an enum's constants, written in any case, with '-' for '_'. */
  public static <E extends Enum<E>> Setting<E> enumeration(String key, Class<E> type, E defaultValue,
      String description) {
    String names = Arrays.stream(type.getEnumConstants()).map(Setting::enumText).collect(Collectors.joining(", "));
    return new Setting<>(key, "one of " + names, defaultValue, description, s -> {
      for (E e : type.getEnumConstants()) {
        if (enumText(e).equals(s.strip().toLowerCase(Locale.ROOT).replace('_', '-'))) {
          return e;
        }
      }
      throw new IllegalArgumentException();
    }, Setting::enumText, "one of " + names, false, false, v -> true);
  }

  /** A list of strings: a YAML sequence, or comma-separated text in a flag or the environment. */
  public static Setting<List<String>> list(String key, List<String> defaultValue, String description) {
    return new Setting<>(key, "list", defaultValue == null ? null : List.copyOf(defaultValue), description,
        s -> s.isBlank() ? List.of() : Arrays.stream(s.split(",")).map(String::strip).toList(),
        l -> String.join(",", l), "a comma-separated list", false, true, v -> true);
  }

  /**
   * The same setting, accepting only values that pass {@code ok}; {@code expectation}
   * completes "expected ..." in the error, e.g. {@code "a positive number"}.
   */
  public Setting<T> check(Predicate<? super T> ok, String expectation) {
    Predicate<? super T> previous = check;
    return new Setting<>(key, type, defaultValue, description, parser, formatter, expectation, secret, list,
        v -> previous.test(v) && ok.test(v));
  }

  public String key() {
    return key;
  }

  /** The type as users read it: "integer", "duration", "one of info, warning". */
  public String type() {
    return type;
  }

  /** The default, or null when the setting has none. */
  public T defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public boolean isSecret() {
    return secret;
  }

  boolean isList() {
    return list;
  }

  /** {@code GANTRY_} + the key upper-cased, dots and dashes as underscores. */
  public String envName() {
    return "GANTRY_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** What a valid value looks like, for error messages. */
  public String expected() {
    return expected;
  }

  /** Reads {@code text}; an {@link IllegalArgumentException} means it is not {@link #expected()}. */
  public T parse(String text) {
    T value;
    try {
      value = parser.apply(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(expected, e);
    }
    if (!check.test(value)) {
      throw new IllegalArgumentException(expected);
    }
    return value;
  }

  /** Reads the items of a YAML sequence for a list setting, each kept whole (commas and all). */
  @SuppressWarnings("unchecked")
  T parseItems(List<String> items) {
    if (!list) {
      throw new IllegalArgumentException(expected);
    }
    T value = (T) List.copyOf(items);
    if (!check.test(value)) {
      throw new IllegalArgumentException(expected);
    }
    return value;
  }

  /** The value for display; a secret shows as a mask. */
  public String format(T value) {
    if (value == null) {
      return "(not set)";
    }
    return secret ? "******" : formatter.apply(value);
  }

  @Override
  public String toString() {
    return key + " (" + type + ")";
  }

  private static boolean parseBoolean(String s) {
    return switch (s.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException();
    };
  }

  private static Path parsePath(String s) {
    String t = s.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException();
    }
    if (t.equals("~") || t.startsWith("~/")) {
      return Path.of(System.getProperty("user.home") + t.substring(1));
    }
    return Path.of(t);
  }

  private static String enumText(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}

package dev.gantry.core.target;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command for a {@link Target}: its words (no shell), extra environment variables, what it
 * reads on stdin and how long it may take. Wherever it runs, the environment is the target's
 * own plus {@code env}.
 *
 * <pre>{@code
 * ProcessResult r = target.run(Invocation.of(List.of("docker", "compose", "up", "-d"))
 *     .env(Map.of("GANTRY_RELEASE", "abc123f")).timeout(Duration.ofMinutes(5)));
 * }</pre>
 *
 * @param stdin the input, or null for none
 * @param timeout when the command is ended, or null for the target's own limit
 */
public record Invocation(List<String> argv, Map<String, String> env, byte[] stdin, Duration timeout) {
  public Invocation {
    argv = List.copyOf(argv);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    env = Map.copyOf(env);
  }

  public static Invocation of(List<String> argv) {
    return new Invocation(argv, Map.of(), null, null);
  }

  /** This command with {@code variables} added to its environment. */
  public Invocation env(Map<String, String> variables) {
    Map<String, String> all = new LinkedHashMap<>(env);
    all.putAll(variables);
    return new Invocation(argv, all, stdin, timeout);
  }

  public Invocation stdin(byte[] input) {
    return new Invocation(argv, env, input, timeout);
  }

  public Invocation timeout(Duration limit) {
    return new Invocation(argv, env, stdin, Objects.requireNonNull(limit, "timeout"));
  }

  /** The time limit: this command's own, else {@code fallback}. */
  public Duration timeoutOr(Duration fallback) {
    return timeout == null ? fallback : timeout;
  }
}

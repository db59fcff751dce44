package dev.gantry.core.config;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A value that must not be shown: a token, a password, a webhook URL. {@link #toString()}
 * never reveals it, so it is safe in logs, exceptions and {@code describe} output.
 *
 * <pre>{@code
 * Secret hook = config.get(SLACK_WEBHOOK);
 * new SlackNotifier(URI.create(hook.reveal()));
 * }</pre>
 */
public final class Secret {
  private static final String MASK = "******";
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value);
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The secret itself, for the one place that needs it. */
  public String reveal() {
    return value;
  }

  /** Compares in constant time, so the comparison does not leak how much matched. */
  public boolean matches(String candidate) {
    return candidate != null && MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.matches(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return MASK;
  }
}

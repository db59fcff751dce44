package dev.gantry.deploy.model;

import dev.gantry.core.definition.DefinitionError;

import java.time.Duration;
import java.util.Objects;

/**
 * How Docker decides a service is healthy. Checks run inside the container, so an HTTP
 * check needs {@code wget} or {@code curl} in the image; otherwise declare a command.
 *
 * <pre>{@code
 * s.health(HealthCheck.http("/health").every(Duration.ofSeconds(2)).retries(5));
 * s.health(HealthCheck.command("pg_isready -U postgres"));
 * }</pre>
 */
public sealed interface HealthCheck {

  /** How often and how patiently the check runs. */
  Timing timing();

  /** The shell command Docker runs in the container; exit 0 means healthy. */
  String shellCommand(Integer defaultPort);

  /** An HTTP GET on {@code path} at the service's first declared port (or {@code port}). */
  static Http http(String path) {
    return new Http(path, null, Timing.DEFAULT);
  }

  /** A shell command run in the container; exit status 0 means healthy. */
  static Command command(String shell) {
    return new Command(shell, Timing.DEFAULT);
  }

  /**
   * A shell command that fetches {@code url} and fails unless it answers 2xx. Images carry
   * busybox's {@code wget} or {@code curl}; only the one present is run, so a failure's
   * output is the fetch's own message, not "curl: not found".
   */
  static String fetch(String url) {
    if (url.contains("'")) {
      throw new IllegalArgumentException("a health check URL cannot contain a quote: " + url);
    }
    return "if command -v wget >/dev/null 2>&1; then wget -q -O /dev/null '" + url + "'; else curl -fsS -o /dev/null '"
        + url + "'; fi";
  }

  /** Like {@link #fetch} but prints the body. */
  static String fetchBody(String url) {
    if (url.contains("'")) {
      throw new IllegalArgumentException("a health check URL cannot contain a quote: " + url);
    }
    return "if command -v wget >/dev/null 2>&1; then wget -q -O - '" + url + "'; else curl -fsS '" + url + "'; fi";
  }

  /** Interval, per-try timeout, failures before "unhealthy", and grace period at start. */
  record Timing(Duration interval, Duration timeout, int retries, Duration startPeriod) {
    public static final Timing DEFAULT =
        new Timing(Duration.ofSeconds(5), Duration.ofSeconds(3), 3, Duration.ofSeconds(0));

    public Timing {
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(startPeriod, "startPeriod");
      if (interval.toMillis() < 1 || timeout.toMillis() < 1) {
        throw new DefinitionError("health check interval and timeout must be positive");
      }
      if (retries < 1) {
        throw new DefinitionError("health check retries must be at least 1, not " + retries);
      }
    }

    /** The longest a service may take from start to being declared unhealthy. */
    public Duration worstCase() {
      return startPeriod.plus(interval.plus(timeout).multipliedBy(retries));
    }
  }

  /** An HTTP check; {@code port} null means the service's first declared port. */
  record Http(String path, Integer port, Timing timing) implements HealthCheck {
    public Http {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/")) {
        throw new DefinitionError("health check path '" + path + "' must start with '/'");
      }
      if (path.contains("'")) {
        throw new DefinitionError("health check path '" + path + "' cannot contain a quote");
      }
      Objects.requireNonNull(timing, "timing");
    }

    public Http onPort(int p) {
      return new Http(path, p, timing);
    }

    public Http every(Duration interval) {
      return new Http(path, port, new Timing(interval, timing.timeout(), timing.retries(), timing.startPeriod()));
    }

    public Http retries(int n) {
      return new Http(path, port, new Timing(timing.interval(), timing.timeout(), n, timing.startPeriod()));
    }

    public Http timeout(Duration t) {
      return new Http(path, port, new Timing(timing.interval(), t, timing.retries(), timing.startPeriod()));
    }

    public Http startPeriod(Duration d) {
      return new Http(path, port, new Timing(timing.interval(), timing.timeout(), timing.retries(), d));
    }

    @Override
    public String shellCommand(Integer defaultPort) {
      int p = port != null ? port : defaultPort;
      return fetch("http://127.0.0.1:" + p + path);
    }
  }

  /** A command check. */
  record Command(String shell, Timing timing) implements HealthCheck {
    public Command {
      if (shell == null || shell.isBlank()) {
        throw new DefinitionError("health check command must not be empty");
      }
      Objects.requireNonNull(timing, "timing");
    }

    public Command every(Duration interval) {
      return new Command(shell, new Timing(interval, timing.timeout(), timing.retries(), timing.startPeriod()));
    }

    public Command retries(int n) {
      return new Command(shell, new Timing(timing.interval(), timing.timeout(), n, timing.startPeriod()));
    }

    public Command timeout(Duration t) {
      return new Command(shell, new Timing(timing.interval(), t, timing.retries(), timing.startPeriod()));
    }

    @Override
    public String shellCommand(Integer defaultPort) {
      return shell;
    }
  }
}

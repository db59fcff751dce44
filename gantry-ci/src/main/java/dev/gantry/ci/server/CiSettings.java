package dev.gantry.ci.server;

import dev.gantry.core.UserError;
import java.time.Duration;

/**
 * How the CI server runs.
 *
 * <pre>{@code
 * CiSettings s = CiSettings.defaults("/srv/git/app.git", "http://127.0.0.1:8080", hookSecret, agentToken);
 * }</pre>
 *
 * @param repository the central repository (a path or a URL JGit can fetch from and push to)
 * @param publicUrl the server's address as people and agents reach it, for links and {@code GANTRY_RUN_URL}
 * @param hookSecret the shared secret that signs hook calls (HMAC-SHA256)
 * @param agentToken the token agents present
 * @param maxBatch the most patches tested together in one candidate
 * @param agentTimeout an agent silent this long has its runs handed out again
 * @param longPoll how long an agent's request for work waits when there is none
 * @param pollInterval how often the central repository is polled for review branches; zero turns polling off
 * @param logCapBytes the most log kept per run; the rest is dropped with a marker
 * @param keepLogs logs of runs older than this are deleted
 * @param unschedulableTimeout a ready run that no online agent can take for this long fails its candidate
 * @param maxWindow the most candidates tested at once (speculative candidates behind the head of the queue)
 */
public record CiSettings(
    String repository,
    String publicUrl,
    String hookSecret,
    String agentToken,
    int maxBatch,
    Duration agentTimeout,
    Duration longPoll,
    Duration pollInterval,
    long logCapBytes,
    Duration keepLogs,
    Duration unschedulableTimeout,
    int maxWindow) {

  public CiSettings {
    if (repository == null || repository.isBlank()) {
      throw new UserError("ci.repository: the central repository to guard is not set");
    }
    if (hookSecret == null || hookSecret.length() < 16) {
      throw new UserError("ci.hook-secret: needs at least 16 characters");
    }
    if (agentToken == null || agentToken.length() < 16) {
      throw new UserError("ci.agent-token: needs at least 16 characters");
    }
    if (maxBatch < 1) {
      throw new UserError("ci.max-batch: must be at least 1, got " + maxBatch);
    }
    if (unschedulableTimeout == null || unschedulableTimeout.isNegative() || unschedulableTimeout.isZero()) {
      throw new UserError("ci.unschedulable-timeout: must be longer than 0s, got " + unschedulableTimeout);
    }
    if (maxWindow < 1) {
      throw new UserError("ci.max-window: must be at least 1, got " + maxWindow);
    }
    publicUrl = publicUrl == null ? "http://127.0.0.1:8080" : publicUrl.replaceAll("/+$", "");
  }

  /** Settings with the default {@code ci.max-window}. */
  public CiSettings(String repository, String publicUrl, String hookSecret, String agentToken, int maxBatch, Duration agentTimeout,
      Duration longPoll, Duration pollInterval, long logCapBytes, Duration keepLogs, Duration unschedulableTimeout) {
    this(repository, publicUrl, hookSecret, agentToken, maxBatch, agentTimeout, longPoll, pollInterval, logCapBytes, keepLogs,
        unschedulableTimeout, CiConfig.MAX_WINDOW.defaultValue());
  }

  public static CiSettings defaults(String repository, String publicUrl, String hookSecret, String agentToken) {
    return new CiSettings(repository, publicUrl, hookSecret, agentToken, 8, Duration.ofSeconds(30), Duration.ofSeconds(20),
        Duration.ZERO, 4L << 20, Duration.ofDays(30), CiConfig.UNSCHEDULABLE_TIMEOUT.defaultValue());
  }

  public CiSettings withTimings(Duration agentTimeout, Duration longPoll, Duration pollInterval) {
    return new CiSettings(repository, publicUrl, hookSecret, agentToken, maxBatch, agentTimeout, longPoll, pollInterval, logCapBytes, keepLogs,
        unschedulableTimeout, maxWindow);
  }

  /** These settings with another {@code ci.unschedulable-timeout} (tests shorten it to seconds). */
  public CiSettings withUnschedulableTimeout(Duration timeout) {
    return new CiSettings(repository, publicUrl, hookSecret, agentToken, maxBatch, agentTimeout, longPoll, pollInterval, logCapBytes, keepLogs,
        timeout, maxWindow);
  }

  /** These settings with another {@code ci.max-window}: 1 tests one candidate at a time. */
  public CiSettings withMaxWindow(int window) {
    return new CiSettings(repository, publicUrl, hookSecret, agentToken, maxBatch, agentTimeout, longPoll, pollInterval, logCapBytes, keepLogs,
        unschedulableTimeout, window);
  }



  public String runUrl(long run) {
    return publicUrl + "/ci/runs/" + run;
  }

  public String candidateUrl(long candidate) {
    return publicUrl + "/ci/candidates/" + candidate;
  }

  public String patchUrl(long patch) {
    return publicUrl + "/ci/patches/" + patch;
  }

  @Override
  public String toString() {
    return "CiSettings[repository=" + repository + ", publicUrl=" + publicUrl + ", maxBatch=" + maxBatch + ", maxWindow=" + maxWindow + "]";
  }
}

package dev.gantry.ci.server;

import dev.gantry.core.UserError;
import dev.gantry.core.config.Config;
import dev.gantry.core.config.Secret;
import dev.gantry.core.config.Setting;
import dev.gantry.core.config.Settings;
import java.time.Duration;
import java.util.List;

/**
 * The CI's settings ({@code gantry.yml} key, or {@code GANTRY_CI_...} in the environment).
 *
 * <pre>{@code
 * Config config = Config.builder(Settings.of(CiConfig.ALL)).environment(System.getenv()).file(yml).build();
 * CiSettings settings = CiConfig.settings(config, "http://127.0.0.1:8080");
 * }</pre>
 */
public final class CiConfig {
  private CiConfig() {}

  public static final Setting<String> REPOSITORY =
      Setting.string("ci.repository", null, "the central repository whose master the CI guards (path or URL)");
  public static final Setting<String> PUBLIC_URL =
      Setting.string("ci.public-url", null, "the server's address in links and GANTRY_RUN_URL (default: the server's own)");
  public static final Setting<Secret> HOOK_SECRET = Setting.secret("ci.hook-secret", "shared secret that signs git hook calls (HMAC-SHA256)");
  public static final Setting<Secret> AGENT_TOKEN = Setting.secret("ci.agent-token", "token CI agents present");
  public static final Setting<Integer> MAX_BATCH =
      Setting.integer("ci.max-batch", 8, "the most patches tested together in one candidate").check(n -> n >= 1, "at least 1");
  public static final Setting<Integer> MAX_WINDOW = Setting.integer("ci.max-window", 8,
      "the most candidates tested at once (speculative candidates, up to the agents' slots)").check(n -> n >= 1, "at least 1");
  public static final Setting<Duration> AGENT_TIMEOUT =
      Setting.duration("ci.agent-timeout", Duration.ofSeconds(30), "an agent silent this long has its runs handed out again");
  public static final Setting<Duration> LONG_POLL =
      Setting.duration("ci.long-poll", Duration.ofSeconds(20), "how long an agent's request for work waits when there is none");
  public static final Setting<Duration> POLL_INTERVAL =
      Setting.duration("ci.poll-interval", Duration.ofMinutes(1), "how often review branches are polled (0s: only the hook)");
  public static final Setting<Integer> LOG_CAP_KIB =
      Setting.integer("ci.log-cap-kib", 4096, "the most log kept per run, in KiB").check(n -> n >= 1, "at least 1");
  public static final Setting<Duration> UNSCHEDULABLE_TIMEOUT = Setting.duration("ci.unschedulable-timeout", Duration.ofMinutes(10),
      "a ready run that no online agent can take for this long fails its candidate").check(d -> !d.isZero() && !d.isNegative(), "longer than 0s");
  public static final Setting<Duration> KEEP_LOGS = Setting.duration("ci.keep-logs", Duration.ofDays(30), "logs older than this are deleted");

  public static final List<Setting<?>> ALL =
      List.of(REPOSITORY, PUBLIC_URL, HOOK_SECRET, AGENT_TOKEN, MAX_BATCH, AGENT_TIMEOUT, LONG_POLL, POLL_INTERVAL, LOG_CAP_KIB, KEEP_LOGS, UNSCHEDULABLE_TIMEOUT, MAX_WINDOW);

  public static Settings settings() {
    return Settings.of(ALL);
  }

  /** The CI settings from {@code config}; {@code serverUrl} stands in for an unset {@code ci.public-url}. */
  public static CiSettings settings(Config config, String serverUrl) {
    String repo = config.find(REPOSITORY).orElseThrow(() -> new UserError("ci.repository is not set: name the central repository the CI guards"));
    String hook = config.find(HOOK_SECRET).map(Secret::reveal).orElseThrow(() -> new UserError("ci.hook-secret is not set"));
    String agent = config.find(AGENT_TOKEN).map(Secret::reveal).orElseThrow(() -> new UserError("ci.agent-token is not set"));
    return new CiSettings(repo, config.find(PUBLIC_URL).orElse(serverUrl), hook, agent, config.get(MAX_BATCH), config.get(AGENT_TIMEOUT),
        config.get(LONG_POLL), config.get(POLL_INTERVAL), config.get(LOG_CAP_KIB) * 1024L, config.get(KEEP_LOGS),
        config.get(UNSCHEDULABLE_TIMEOUT), config.get(MAX_WINDOW));
  }
}

package dev.gantry.server;

import dev.gantry.core.config.Config;
import dev.gantry.core.config.Secret;
import dev.gantry.core.config.Setting;
import dev.gantry.core.config.Settings;
import dev.gantry.core.web.Auth;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The server's settings, as they appear in {@code gantry.yml} ({@code server.port: 9000}),
 * the environment ({@code GANTRY_SERVER_PORT=9000}) and on the command line ({@code --port}).
 *
 * <pre>{@code
 * ServerSettings s = ServerConfig.settingsFrom(config);
 * }</pre>
 */
public final class ServerConfig {
  public static final Setting<String> HOST = Setting.string("server.host", ServerSettings.DEFAULT_HOST,
      "Address the web server binds to; loopback unless you mean to expose it.");
  public static final Setting<Integer> PORT = Setting.port("server.port", ServerSettings.DEFAULT_PORT,
      "HTTP port of the web UI and API; 0 for any free port.");
  public static final Setting<Path> DATA_DIR = Setting.path("data-dir", Path.of("gantry-data"),
      "Where the store, the admin token and each capability's data live.");
  public static final Setting<Path> INFRA = Setting.path("infra", Path.of("infra"),
      "The infrastructure definition (a folder of Java sources or one file); its monitoring is applied and "
          + "re-applied when it changes.");
  public static final Setting<Secret> TOKEN = Setting.secret("server.token",
      "The admin token; when unset one is generated into the data directory on first start.")
      .check(t -> t.reveal().length() >= Auth.MIN_TOKEN_LENGTH,
          "a secret of at least " + Auth.MIN_TOKEN_LENGTH + " characters");

  public static final Setting<Duration> SESSION_IDLE = Setting.duration("server.session-idle",
      SessionPolicy.DEFAULT.idle(), "A browser's sign-in ends after this long without a request.")
      .check(d -> !d.isNegative() && !d.isZero(), "a positive duration");
  public static final Setting<Duration> SESSION_MAX = Setting.duration("server.session-max",
      SessionPolicy.DEFAULT.absolute(), "A browser's sign-in ends this long after it began, however busy.")
      .check(d -> !d.isNegative() && !d.isZero(), "a positive duration");

  private ServerConfig() {}

  /** Every server setting. */
  public static Settings settings() {
    return Settings.of(HOST, PORT, DATA_DIR, INFRA, TOKEN, SESSION_IDLE, SESSION_MAX);
  }

  /** The server settings resolved from {@code config}. */
  public static ServerSettings settingsFrom(Config config) {
    ServerSettings s = new ServerSettings(config.get(HOST), config.get(PORT), config.get(DATA_DIR),
        java.util.Optional.empty(), new SessionPolicy(config.get(SESSION_IDLE), config.get(SESSION_MAX)));
    return config.find(TOKEN).map(t -> s.withToken(t.reveal())).orElse(s);
  }
}

package dev.gantry.server;

import dev.gantry.core.UserError;
import dev.gantry.core.config.Config;
import dev.gantry.core.config.Secret;
import dev.gantry.core.config.Setting;
import dev.gantry.core.config.Settings;
import dev.gantry.core.web.Auth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

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

  public static final Setting<Path> TLS_CERT = Setting.path("server.tls-cert", null,
      "PEM certificate chain to serve HTTPS with (the server's own first), with server.tls-key.");
  public static final Setting<Path> TLS_KEY = Setting.path("server.tls-key", null,
      "PEM PKCS#8 private key of server.tls-cert; keep it readable by the server alone.");
  public static final Setting<Path> AGENT_CLIENT_CA = Setting.path("server.agent-client-ca", null,
      "PEM CA certificate (e.g. ca/ca.crt of gantry ca): agents must then present a client certificate it issued "
          + "(gantry agent --cert/--key), beside the agent token. Needs HTTPS.");
  public static final Setting<Boolean> INSECURE_HTTP = Setting.bool("server.insecure-http", false,
      "Serve plain HTTP on an address other machines reach (refused otherwise); every page then warns.");

  public static final Setting<Duration> SESSION_IDLE = Setting.duration("server.session-idle",
      SessionPolicy.DEFAULT.idle(), "A browser's sign-in ends after this long without a request.")
      .check(d -> !d.isNegative() && !d.isZero(), "a positive duration");
  public static final Setting<Duration> SESSION_MAX = Setting.duration("server.session-max",
      SessionPolicy.DEFAULT.absolute(), "A browser's sign-in ends this long after it began, however busy.")
      .check(d -> !d.isNegative() && !d.isZero(), "a positive duration");

  private ServerConfig() {}

  /** Every server setting. */
  public static Settings settings() {
    return Settings.of(HOST, PORT, DATA_DIR, INFRA, TOKEN, TLS_CERT, TLS_KEY, AGENT_CLIENT_CA, INSECURE_HTTP, SESSION_IDLE, SESSION_MAX);
  }

  /** The server settings resolved from {@code config}. */
  public static ServerSettings settingsFrom(Config config) {
    Optional<Path> cert = config.find(TLS_CERT);
    Optional<Path> key = config.find(TLS_KEY);
    if (cert.isPresent() != key.isPresent()) {
      throw new UserError(cert.isPresent() ? "server.tls-cert is set but not server.tls-key: HTTPS needs both"
          : "server.tls-key is set but not server.tls-cert: HTTPS needs both");
    }
    Optional<Path> clientCa = config.find(AGENT_CLIENT_CA);
    if (clientCa.isPresent() && cert.isEmpty()) {
      throw new UserError("server.agent-client-ca is set but the server has no HTTPS: client certificates are "
          + "part of TLS; set server.tls-cert and server.tls-key too");
    }
    ServerSettings s = new ServerSettings(config.get(HOST), config.get(PORT), config.get(DATA_DIR),
        Optional.empty(), new SessionPolicy(config.get(SESSION_IDLE), config.get(SESSION_MAX)),
        cert.map(c -> new ServerSettings.Tls(c, key.orElseThrow(), clientCa)), config.get(INSECURE_HTTP));
    return config.find(TOKEN).map(t -> s.withToken(t.reveal())).orElse(s);
  }
}

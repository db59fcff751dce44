package dev.gantry.server;

import dev.gantry.core.UserError;
import dev.gantry.core.tls.BindAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the server listens and keeps its data.
 *
 * <pre>{@code
 * var settings = ServerSettings.defaults(Path.of("gantry-data")).withPort(0);
 * }</pre>
 *
 * @param host address to bind; loopback unless the operator says otherwise
 * @param port TCP port, 0 for any free port
 * @param dataDir where the store, the admin token and component data live
 * @param token the admin token when configured, else one is generated into the data dir
 * @param sessions how long a browser's sign-in lasts
 * @param tls the certificate and key to serve HTTPS with; plain HTTP without
 * @param insecureHttp the operator's explicit choice to serve plain HTTP on an address
 *     other computers can reach ({@code --insecure-http}); every page then says so
 */
public record ServerSettings(String host, int port, Path dataDir, Optional<String> token, SessionPolicy sessions,
    Optional<Tls> tls, boolean insecureHttp) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  public ServerSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(tls, "tls");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not in 0..65535");
    }
  }

  public static ServerSettings defaults(Path dataDir) {
    return new ServerSettings(DEFAULT_HOST, DEFAULT_PORT, dataDir, Optional.empty(), SessionPolicy.DEFAULT,
        Optional.empty(), false);
  }

  /**
   * A certificate chain and its private key, PEM files ({@code -----BEGIN PRIVATE KEY-----}, PKCS#8),
   * and the CA whose client certificates the paths of {@link dev.gantry.core.web.Web#requireClientCertificate}
   * require (the agents' second factor), if any.
   */
  public record Tls(Path certificate, Path key, Optional<Path> clientCa) {
    public Tls {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(clientCa, "clientCa");
    }

    /** Serving HTTPS; no client certificates asked for. */
    public Tls(Path certificate, Path key) {
      this(certificate, key, Optional.empty());
    }

    /** Also asking clients for a certificate issued by the CA of {@code caFile}. */
    public Tls requiringClientCertificatesFrom(Path caFile) {
      return new Tls(certificate, key, Optional.of(caFile));
    }
  }

  public ServerSettings withPort(int p) {
    return new ServerSettings(host, p, dataDir, token, sessions, tls, insecureHttp);
  }

  public ServerSettings withHost(String h) {
    return new ServerSettings(h, port, dataDir, token, sessions, tls, insecureHttp);
  }

  public ServerSettings withToken(String t) {
    return new ServerSettings(host, port, dataDir, Optional.ofNullable(t), sessions, tls, insecureHttp);
  }

  public ServerSettings withSessions(SessionPolicy s) {
    return new ServerSettings(host, port, dataDir, token, s, tls, insecureHttp);
  }

  /** Serves HTTPS with {@code t}. */
  public ServerSettings withTls(Tls t) {
    return new ServerSettings(host, port, dataDir, token, sessions, Optional.of(t), insecureHttp);
  }

  /** Serves plain HTTP even on an address other computers reach (the operator said so). */
  public ServerSettings withInsecureHttp(boolean insecure) {
    return new ServerSettings(host, port, dataDir, token, sessions, tls, insecure);
  }

  /** Whether the bind address can only be reached from this machine. */
  public boolean loopbackOnly() {
    return BindAddress.loopbackOnly(host);
  }

  /**
   * Refuses plain HTTP on an address other computers reach unless the operator chose it:
   * tokens, sign-in cookies and the agents' messages would cross the network in clear.
   */
  public void requireSafeBinding() {
    if (tls.isEmpty() && !insecureHttp && !loopbackOnly()) {
      throw new UserError("server.host " + host + " can be reached from other machines, and the server has no TLS: "
          + "the admin token, sign-ins and agents' messages would cross the network in clear. Give it a certificate "
          + "(server.tls-cert and server.tls-key, or --tls-cert FILE --tls-key FILE), or bind it to 127.0.0.1 behind "
          + "a TLS proxy; on a network you trust completely, --insecure-http (server.insecure-http: true) serves "
          + "plain HTTP anyway, with a warning on every page");
    }
  }
}

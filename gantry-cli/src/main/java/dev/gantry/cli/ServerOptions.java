package dev.gantry.cli;

import dev.gantry.core.config.Config;
import dev.gantry.server.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Where {@code gantry server} and {@code gantry up} listen and keep data. A flag wins over
 * the environment ({@code GANTRY_SERVER_PORT}), which wins over {@code gantry.yml}, which
 * wins over the default.
 */
final class ServerOptions extends ConfigOptions {
  @Option(names = "--host", paramLabel = "ADDR",
      description = "Address to bind the web server to (default: 127.0.0.1).")
  String host;

  @Option(names = "--port", paramLabel = "PORT", description = "HTTP port; 0 for any free port (default: 8080).")
  String port;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "Serve HTTPS with this PEM certificate chain (server.tls-cert); with --tls-key.")
  String tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "The certificate's PEM PKCS#8 private key (server.tls-key).")
  String tlsKey;

  @Option(names = "--agent-client-ca", paramLabel = "FILE",
      description = "Agents must present a client certificate this PEM CA issued (server.agent-client-ca).")
  String agentClientCa;

  @Option(names = "--insecure-http",
      description = "Serve plain HTTP even on an address other machines reach (server.insecure-http); pages warn.")
  Boolean insecureHttp;

  /** The configuration of every capability, with this command's flags on top; a bad flag is a usage error. */
  Config config(CommandLine cmd) {
    return config(new Flags(cmd).put("--host", ServerConfig.HOST, host).put("--port", ServerConfig.PORT, port)
        .put("--tls-cert", ServerConfig.TLS_CERT, tlsCert).put("--tls-key", ServerConfig.TLS_KEY, tlsKey)
        .put("--agent-client-ca", ServerConfig.AGENT_CLIENT_CA, agentClientCa)
        .put("--insecure-http", ServerConfig.INSECURE_HTTP, insecureHttp == null ? null : insecureHttp.toString()),
        System.getenv());
  }
}

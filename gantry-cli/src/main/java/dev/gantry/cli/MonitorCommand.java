package dev.gantry.cli;

import dev.gantry.core.UserError;
import dev.gantry.core.config.Config;
import dev.gantry.monitor.MonitorConfig;
import dev.gantry.monitor.cli.AlertsCommand;
import dev.gantry.monitor.cli.QueryCommand;
import dev.gantry.monitor.cli.SendCommand;
import dev.gantry.monitor.cli.SilenceCommand;
import dev.gantry.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gantry monitor}: Gantry's process with only the monitor (as on a dedicated monitoring
 * machine), until stopped: Riemann TCP/UDP (and TLS), the built-in rules, the rules and probes of
 * the infrastructure definition (re-applied on change), and the dashboard on the web server. It
 * reads {@code gantry.yml} like {@code gantry up}; each flag gives the setting it names, and wins
 * over the environment and the file. Subcommands talk to a running monitor.
 *
 * <pre>{@code
 * gantry monitor --data-dir /var/lib/gantry --infra infra/ --tls-port 5554 --tls-cert server.crt --tls-key server.key
 * gantry monitor send -S "backup age" -m 42
 * }</pre>
 */
@Command(name = "monitor", mixinStandardHelpOptions = true,
    description = {"Run the monitor alone, or talk to a running one (send, query, silence, alerts).",
        "Reads gantry.yml like 'gantry up': a flag wins over the environment, which wins over the file, "
            + "which wins over the default."},
    footer = "Each flag gives the setting named after it; the settings and their defaults: docs/monitor.md.",
    subcommands = {SendCommand.class, QueryCommand.class, SilenceCommand.class, AlertsCommand.class})
final class MonitorCommand implements Callable<Integer> {
  /** The variable the monitor's clients read the admin token from. */
  static final String TOKEN_VARIABLE = "GANTRY_TOKEN";

  @Mixin ConfigOptions options;
  @Spec CommandSpec spec;

  @Option(names = "--bind", paramLabel = "ADDR",
      description = "Address the monitor and its web server listen on (monitor.bind and server.host).")
  String bind;

  @Option(names = "--tcp-port", paramLabel = "PORT", description = "Riemann TCP port, -1 to disable (monitor.tcp-port).")
  Integer tcpPort;

  @Option(names = "--udp-port", paramLabel = "PORT", description = "Riemann UDP port, -1 to disable (monitor.udp-port).")
  Integer udpPort;

  @Option(names = "--tls-port", paramLabel = "PORT",
      description = "Riemann TLS port, with --tls-cert and --tls-key (monitor.tls-port).")
  Integer tlsPort;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain (monitor.tls-cert).")
  String tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM PKCS#8 private key (monitor.tls-key).")
  String tlsKey;

  @Option(names = "--tls-client-ca", paramLabel = "FILE",
      description = "Require client certificates signed by this CA, PEM (monitor.tls-client-ca).")
  String tlsClientCa;

  @Option(names = "--http-port", paramLabel = "PORT",
      description = "Dashboard and HTTP API port; 0 for any free port, -1 for no web server (server.port).")
  Integer httpPort;

  @Option(names = "--infra", paramLabel = "PATH",
      description = "Infrastructure definition (infra/Infra.java or its folder): rules, receivers, probes (infra).")
  String infra;

  @Option(names = "--no-builtin-rules",
      description = "Do not run the disk-full, host-down, http and probe rules by default (monitor.builtin-rules).")
  boolean noBuiltinRules;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "File holding the admin token (server.token; else $GANTRY_SERVER_TOKEN, then $GANTRY_TOKEN, "
          + "then gantry.yml, else one is made in the data directory).")
  Path tokenFile;

  @Override
  public Integer call() throws InterruptedException {
    return ServerCommand.serve(spec.commandLine(), config(System.getenv()), Assembly.Mode.monitorAlone(web()));
  }

  /** Whether the web server runs: all but {@code --http-port -1}. */
  boolean web() {
    return httpPort == null || httpPort != -1;
  }

  /** Every capability's configuration with these flags on top; a bad flag is a usage error. */
  Config config(Map<String, String> env) {
    Flags flags = new Flags(spec.commandLine())
        .put("--bind", MonitorConfig.BIND, bind)
        .put("--bind", ServerConfig.HOST, bind)
        .put("--tcp-port", MonitorConfig.TCP_PORT, tcpPort)
        .put("--udp-port", MonitorConfig.UDP_PORT, udpPort)
        .put("--tls-port", MonitorConfig.TLS_PORT, tlsPort)
        .put("--tls-cert", MonitorConfig.TLS_CERT, tlsCert)
        .put("--tls-key", MonitorConfig.TLS_KEY, tlsKey)
        .put("--tls-client-ca", MonitorConfig.TLS_CLIENT_CA, tlsClientCa)
        .put("--http-port", ServerConfig.PORT, web() ? httpPort : null)
        .put("--infra", ServerConfig.INFRA, infra)
        .put("--no-builtin-rules", MonitorConfig.BUILTIN_RULES, noBuiltinRules ? "false" : null)
        .put("--token-file", ServerConfig.TOKEN, tokenFile == null ? null : token(tokenFile));
    return options.config(flags, environment(env));
  }

  /** The admin token in a file the user named; one that cannot be read or is too short is their mistake. */
  static String token(Path file) {
    if (!Files.isReadable(file)) {
      throw new UserError("--token-file: cannot read " + file);
    }
    String token;
    try {
      token = Files.readString(file).trim();
    } catch (IOException e) {
      throw new UserError("--token-file: cannot read " + file + ": " + e.getMessage(), e);
    }
    return checked(token, "--token-file: " + file);
  }

  /**
   * The environment, where {@code $GANTRY_TOKEN} (which the monitor's clients read) gives the
   * admin token when {@code $GANTRY_SERVER_TOKEN} does not.
   */
  static Map<String, String> environment(Map<String, String> env) {
    String token = env.get(TOKEN_VARIABLE);
    if (token == null || token.isBlank() || env.containsKey(ServerConfig.TOKEN.envName())) {
      return env;
    }
    Map<String, String> with = new HashMap<>(env);
    with.put(ServerConfig.TOKEN.envName(), checked(token.trim(), "$" + TOKEN_VARIABLE));
    return with;
  }

  private static String checked(String token, String where) {
    try {
      ServerConfig.TOKEN.parse(token);
    } catch (IllegalArgumentException e) {
      throw new UserError(where + ": the admin token must be " + ServerConfig.TOKEN.expected());
    }
    return token;
  }
}

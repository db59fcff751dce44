package dev.gantry.monitor.cli;

import dev.gantry.server.GantryServer;
import dev.gantry.server.ServerSettings;
import java.util.List;
import java.util.Optional;

import dev.gantry.core.UserError;
import dev.gantry.monitor.DefinitionWatcher;
import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.transport.TlsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gantry monitor}: runs the monitor alone (as on a dedicated monitoring VM) until
 * stopped — Riemann TCP/UDP (and TLS), the built-in rules, the rules and probes of an
 * infrastructure definition (reloaded on change), and the dashboard on its own web port.
 * Subcommands talk to a running monitor.
 */
@Command(name = "monitor", mixinStandardHelpOptions = true,
    description = "Run the monitor alone, or talk to a running one (send, query, silence, alerts).",
    subcommands = {SendCommand.class, QueryCommand.class, SilenceCommand.class, AlertsCommand.class})
public final class MonitorCommand extends Commands {
  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE})")
  String bind;

  @Option(names = "--tcp-port", defaultValue = "5555", description = "Riemann TCP port, -1 to disable (default: ${DEFAULT-VALUE})")
  int tcpPort;

  @Option(names = "--udp-port", defaultValue = "5555", description = "Riemann UDP port, -1 to disable (default: ${DEFAULT-VALUE})")
  int udpPort;

  @Option(names = "--tls-port", defaultValue = "-1", description = "Riemann TLS port, with --tls-cert and --tls-key")
  int tlsPort;

  @Option(names = "--tls-cert", description = "PEM certificate chain")
  Path tlsCert;

  @Option(names = "--tls-key", description = "PEM PKCS#8 private key")
  Path tlsKey;

  @Option(names = "--tls-client-ca", description = "require client certificates signed by this CA (PEM)")
  Path tlsClientCa;

  @Option(names = "--http-port", defaultValue = "5556", description = "dashboard and HTTP API port, -1 to disable (default: ${DEFAULT-VALUE})")
  int httpPort;

  @Option(names = "--data-dir", description = "index snapshot and alert states (default: ~/.gantry/monitor)")
  Path dataDir;

  @Option(names = "--infra", description = "infrastructure definition (infra/Infra.java or its folder): rules, receivers, probes")
  Path infra;

  @Option(names = "--no-builtin-rules", description = "do not run disk-full, host-down, http and probe rules by default")
  boolean noBuiltinRules;

  @Option(names = "--token-file", description = "file holding the admin token (default: $GANTRY_TOKEN, else one is made in the data dir)")
  Path tokenFile;

  @Override
  void run() throws IOException {
    Path data = dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".gantry", "monitor");
    if ((tlsCert == null) != (tlsKey == null) || (tlsPort >= 0 && tlsCert == null)) {
      throw new UserError("TLS needs --tls-port, --tls-cert and --tls-key together");
    }
    MonitorSettings settings = MonitorSettings.defaults().withBind(bind).withTcpPort(tcpPort).withUdpPort(udpPort)
        .withBuiltinRules(!noBuiltinRules);
    if (tlsCert != null) {
      settings = settings.withTls(tlsPort, new TlsConfig(tlsCert, tlsKey, tlsClientCa));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch saved = new CountDownLatch(1);
    try (MonitorService monitor = MonitorService.start(settings, data);
        DefinitionWatcher watcher = infra == null ? null : DefinitionWatcher.start(infra, data.resolve("definition-cache"),
            monitor::apply, Duration.ofSeconds(2), msg -> err().println("definition not applied: " + msg));
        GantryServer web = httpPort < 0 ? null : GantryServer.start(
            new ServerSettings(bind, httpPort, data, Optional.of(token(data))), List.of(monitor.webComponent()))) {
      out().printf("monitor listening on %s: tcp %d, udp %d, tls %d%s%n", bind, monitor.tcpPort(), monitor.udpPort(),
          monitor.tlsPort(), web == null ? "" : ", dashboard http://" + bind + ":" + web.port() + "/monitor");
      out().flush();
      // on SIGTERM the JVM waits for this hook, so the index and alerts are saved before it exits
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        stopped.countDown();
        try {
          saved.await(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      saved.countDown();
    }
  }

  private String token(Path data) throws IOException {
    String t = readToken(data);
    if (t.length() < 16) {
      throw new UserError("the admin token must have at least 16 characters");
    }
    return t;
  }

  private String readToken(Path data) throws IOException {
    if (tokenFile != null) {
      if (!Files.isReadable(tokenFile)) {
        throw new UserError("--token-file: cannot read " + tokenFile);
      }
      return Files.readString(tokenFile).trim();
    }
    String env = System.getenv("GANTRY_TOKEN");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    Path file = data.resolve("admin-token");
    if (!Files.exists(file)) {
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      Files.createDirectories(data);
      Files.writeString(file, HexFormat.of().formatHex(random) + "\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      out().println("made an admin token for the dashboard in " + file);
    }
    return Files.readString(file).trim();
  }
}

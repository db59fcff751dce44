package dev.gantry.ci.cli;

import dev.gantry.ci.agent.Agent;
import dev.gantry.ci.agent.AgentSettings;
import dev.gantry.ci.agent.ClientCertificate;
import dev.gantry.core.UserError;
import dev.gantry.core.cli.DurationConverter;
import dev.gantry.core.cli.ErrorHandler;
import dev.gantry.core.tls.ServerTrust;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gantry agent}: runs CI steps for a Gantry server.
 *
 * <pre>
 * gantry agent --server http://ci:8080 --token $AGENT_TOKEN --name builder-1 --capabilities linux,docker --slots 2 --work /var/lib/gantry-agent
 * gantry agent --server https://ci.example.org --ca ca/ca.crt --cert builder-1.crt --key builder-1.key ...
 * </pre>
 */
@Command(name = "agent", mixinStandardHelpOptions = true, description = "Run CI steps for a Gantry server (long-polls it for work).")
public final class AgentCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--server", required = true, paramLabel = "URL", description = "the CI server") URI server;

  @Option(names = "--token", paramLabel = "TOKEN", description = "the agent token (default: $GANTRY_AGENT_TOKEN)") String token;

  @Option(names = "--name", paramLabel = "NAME", description = "this agent's name (default: the host name)") String name;

  @Option(names = "--capabilities", split = ",", paramLabel = "CAP", description = "what this agent offers, e.g. linux,docker")
  List<String> capabilities = List.of("linux");

  @Option(names = "--slots", paramLabel = "N", description = "steps run at the same time (default: 1)") int slots = 1;

  @Option(names = "--work", required = true, paramLabel = "DIR", description = "folder for checkouts and artifacts") Path work;

  @Option(names = "--ca", paramLabel = "FILE",
      description = "trust only the CA of this PEM file for an https:// server (e.g. ca/ca.crt of gantry ca)") Path ca;

  @Option(names = "--pin", paramLabel = "SHA256",
      description = "trust only a server certificate (or CA) with this SHA-256 fingerprint") String pin;

  @Option(names = "--cert", paramLabel = "FILE",
      description = "present this PEM client certificate to a server that requires one (gantry ca issue NAME --client); "
          + "with --key") Path cert;

  @Option(names = "--key", paramLabel = "FILE", description = "the client certificate's PEM PKCS#8 private key") Path key;

  @Option(names = "--heartbeat", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
      description = "heartbeat interval, e.g. 500ms or 2s (default: ${DEFAULT-VALUE})") Duration heartbeat;

  @Override
  public Integer call() {
    return CiCommand.run(spec, () -> {
      String t = token != null ? token : System.getenv("GANTRY_AGENT_TOKEN");
      AgentSettings s = new AgentSettings(server, t, name != null ? name : hostName(), capabilities, slots, work.toAbsolutePath(),
          heartbeat.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : heartbeat, ServerTrust.of(ca, pin),
          ClientCertificate.of(cert, key));
      Agent agent = Agent.start(s);
      Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "gantry-agent-stop"));
      Optional<String> fatal = agent.awaitStop();
      if (fatal.isPresent()) {
        throw new UserError(fatal.get());
      }
      return 0;
    });
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
    } catch (UnknownHostException e) {
      return "agent";
    }
  }

  /** Entry point of a stand-alone agent JVM: {@code java -cp ... dev.gantry.ci.cli.AgentCommand --server ...}. */
  public static void main(String[] args) {
    System.exit(ErrorHandler.install(new CommandLine(new AgentCommand())).execute(args));
  }
}

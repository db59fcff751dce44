package dev.gantry.ci.cli;

import dev.gantry.ci.agent.Agent;
import dev.gantry.ci.agent.AgentSettings;
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

  @Option(names = "--heartbeat", paramLabel = "MILLIS", description = "heartbeat interval in ms (default: 2000)") long heartbeatMillis = 2000;

  @Override
  public Integer call() {
    return CiCommand.run(spec, () -> {
      String t = token != null ? token : System.getenv("GANTRY_AGENT_TOKEN");
      AgentSettings s = new AgentSettings(server, t, name != null ? name : hostName(), capabilities, slots, work.toAbsolutePath(),
          Duration.ofMillis(Math.max(100, heartbeatMillis)));
      Agent agent = Agent.start(s);
      Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "gantry-agent-stop"));
      Optional<String> fatal = agent.awaitStop();
      if (fatal.isPresent()) {
        spec.commandLine().getErr().println("error: " + fatal.get());
        return 1;
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
    System.exit(new CommandLine(new AgentCommand()).execute(args));
  }
}

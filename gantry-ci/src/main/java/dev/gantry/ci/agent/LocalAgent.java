package dev.gantry.ci.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An agent inside the server's JVM, for {@code ./gantry up}: the same polling agent,
 * talking HTTP to the local server.
 *
 * <pre>{@code
 * AutoCloseable agent = LocalAgent.start(URI.create("http://127.0.0.1:8080"), agentToken, dataDir.resolve("agent"));
 * }</pre>
 */
public final class LocalAgent {
  private LocalAgent() {}

  public static Agent start(URI server, String agentToken, Path work) {
    return Agent.start(new AgentSettings(server, agentToken, "local", List.of("linux"), 2, work, Duration.ofSeconds(2)));
  }
}

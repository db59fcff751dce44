package dev.gantry.ci.agent;

import dev.gantry.core.UserError;
import dev.gantry.core.tls.ServerTrust;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How an agent runs.
 *
 * <pre>{@code
 * var s = new AgentSettings(URI.create("http://127.0.0.1:8080"), token, "builder-1",
 *     List.of("linux", "docker"), 2, Path.of("/var/lib/gantry-agent"), Duration.ofSeconds(2));
 * }</pre>
 *
 * @param heartbeat how often the agent tells the server it is alive (and hears about cancels)
 * @param trust which certificates an {@code https://} server may present (the team's CA, a pinned
 *     fingerprint, or the system's CAs)
 * @param certificate what the agent presents to a server that requires a client certificate
 */
public record AgentSettings(URI server, String token, String name, List<String> capabilities, int slots, Path work,
    Duration heartbeat, ServerTrust trust, Optional<ClientCertificate> certificate) {

  /** Trusting the system's CAs. */
  public AgentSettings(URI server, String token, String name, List<String> capabilities, int slots, Path work,
      Duration heartbeat) {
    this(server, token, name, capabilities, slots, work, heartbeat, new ServerTrust.SystemCas());
  }

  /** Presenting no client certificate. */
  public AgentSettings(URI server, String token, String name, List<String> capabilities, int slots, Path work,
      Duration heartbeat, ServerTrust trust) {
    this(server, token, name, capabilities, slots, work, heartbeat, trust, Optional.empty());
  }

  public AgentSettings {
    if (server == null || server.getScheme() == null || !server.getScheme().startsWith("http")) {
      throw new UserError("--server: give the CI server's http(s) URL, e.g. http://127.0.0.1:8080 (got " + server + ")");
    }
    if (token == null || token.isBlank()) {
      throw new UserError("--token: the agent token is missing (or set GANTRY_AGENT_TOKEN)");
    }
    if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new UserError("--name: '" + name + "' is invalid: use 1 to 64 letters, digits, '.', '-', '_'");
    }
    if (slots < 1 || slots > 64) {
      throw new UserError("--slots: must be between 1 and 64, got " + slots);
    }
    for (String c : capabilities) {
      if (!c.matches("[A-Za-z0-9._-]{1,64}")) {
        throw new UserError("--capabilities: '" + c + "' is not a capability name (letters, digits, '.', '-', '_')");
      }
    }
    capabilities = List.copyOf(capabilities);
    if (!(trust instanceof ServerTrust.SystemCas) && !"https".equals(server.getScheme())) {
      throw new UserError("--ca and --pin check a server's certificate: give its https:// URL (got " + server + ")");
    }
    if (certificate.isPresent() && !"https".equals(server.getScheme())) {
      throw new UserError("--cert and --key are presented over TLS: give the server's https:// URL (got " + server + ")");
    }
    String s = server.toString().replaceAll("/+$", "");
    server = URI.create(s);
  }
}

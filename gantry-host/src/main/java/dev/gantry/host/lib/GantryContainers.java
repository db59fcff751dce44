package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.host.property.Check;
import dev.gantry.host.property.Context;
import dev.gantry.host.property.Info;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.PropertyFailure;
import dev.gantry.host.property.Props;
import dev.gantry.host.property.Result;
import dev.gantry.host.property.SecretRef;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gantry's own server (CI, monitor and web UI) and CI agents as Docker containers on a host, as
 * the seed ran its CI server and monitor on their own VMs. Each container is a systemd unit
 * ({@code docker run --rm}) enabled at boot and restarted when its unit or environment changes.
 * Secrets (the agent token) reach the container through an environment file of mode 0600,
 * never the command line, so they show neither in {@code ps} nor in the unit.
 * Images come from {@code scripts/gantry-image} or a registry.
 *
 * <pre>{@code
 * var token = SecretRef.of("agent-token", "ci");
 * var tls = GantryContainers.tls("/etc/gantry/tls/server.crt", "/etc/gantry/tls/server.key");
 * i.host("ci1").with(Docker.running(),
 *     GantryContainers.server("gantry/server:1a2b3c4", 8080, "gantry-data", tls, token),
 *     GantryContainers.agent("gantry/agent:1a2b3c4", "http://127.0.0.1:8080", token, "ci1-agent", "linux"));
 * }</pre>
 */
public final class GantryContainers {
  static final String SERVER_UNIT = "gantry-server.service";
  static final String ENV_DIR = "/etc/gantry";
  /** Where the server's image keeps its data (the image's volume). */
  static final String DATA = "/var/lib/gantry";
  /** The repository a server guards when none is named: a bare repository in its data volume. */
  static final String DEFAULT_REPOSITORY = DATA + "/repos/app.git";
  static final String TLS_CERT = "/etc/gantry/tls/server.crt";
  static final String TLS_KEY = "/etc/gantry/tls/server.key";

  private GantryContainers() {}

  /** HTTPS with this certificate (chain) and key, files on the host mounted read-only into the container. */
  public static ServiceTransport tls(String certificate, String key) {
    ServiceTransport.requireAbsolute(certificate, "the Gantry server's TLS certificate");
    ServiceTransport.requireAbsolute(key, "the Gantry server's TLS key");
    return new ServiceTransport.Tls(certificate, key);
  }

  /**
   * Plain HTTP, said explicitly: the server refuses it on an address other machines reach
   * otherwise, and in a container it listens on all of the container's addresses. Only on a
   * network nobody else is on (a lab network) or behind a TLS proxy.
   */
  public static ServiceTransport plainHttpOnPrivateNetwork() {
    return new ServiceTransport.PlainOnPrivateNetwork();
  }

  /**
   * {@code gantry server} from {@code image} on host port {@code port} over {@code transport}, its
   * data in the Docker volume (or absolute host directory) {@code dataVolume}, guarding the bare
   * repository {@code /var/lib/gantry/repos/app.git} in that volume, and accepting agents that
   * present {@code agentToken}.
   */
  public static Property server(String image, int port, String dataVolume, ServiceTransport transport, SecretRef agentToken) {
    return server(image, port, dataVolume, transport, agentToken, DEFAULT_REPOSITORY);
  }

  /** As {@link #server(String, int, String, ServiceTransport, SecretRef)}, guarding {@code ciRepository} (a path or URL the container reaches). */
  public static Property server(String image, int port, String dataVolume, ServiceTransport transport, SecretRef agentToken,
      String ciRepository) {
    requireImage(image);
    if (transport == null) {
      throw new DefinitionError("the Gantry server's transport must be said: GantryContainers.tls(cert, key) "
          + "or GantryContainers.plainHttpOnPrivateNetwork()");
    }
    requirePort(port);
    requireVolume(dataVolume);
    if (ciRepository == null || ciRepository.isBlank() || ciRepository.contains("\n")) {
      throw new DefinitionError("the Gantry server's CI repository must be a path or URL, not '" + ciRepository + "'");
    }
    String env = ENV_DIR + "/server.env";
    Property restart = Systemd.restarted("gantry-server");
    Property p = Props.sequence("gantry server container " + image + " on port " + port,
        Docker.running(),
        File.directory(ENV_DIR, FileAttrs.mode(0755)),
        // one restart when either changed, and only once both are written (it also starts a new unit)
        Props.sequence("gantry-server's unit and environment",
            envFile(env, serverEnvironment(ciRepository, transport), Map.of("GANTRY_CI_AGENT_TOKEN", agentToken)),
            Systemd.unit(SERVER_UNIT, serverUnit(image, port, dataVolume, transport, env))).onChange(restart),
        Systemd.enabled("gantry-server"), Systemd.started("gantry-server"));
    return Props.withInfo(p, new Info.PortOpened(port, "tcp"), new Info.ServiceMonitored("gantry-server"),
        new Info.SecretUsed(agentToken));
  }

  /**
   * {@code gantry agent} from {@code image}, named {@code name}, working for the server at
   * {@code serverUrl} with the token {@code token} and offering {@code capabilities}
   * ({@code linux} when none). It uses the host's network, so {@code http://127.0.0.1:PORT}
   * reaches a server container on the same host; its workspaces are in the volume
   * {@code gantry-agent-NAME}. What a pipeline needs beyond that is said on the result:
   * {@link AgentContainer#usingHostDocker()}, {@link AgentContainer#mountingReadOnly},
   * {@link AgentContainer#env}.
   */
  public static AgentContainer agent(String image, String serverUrl, SecretRef token, String name, String... capabilities) {
    requireImage(image);
    requireServerUrl(serverUrl);
    if (name == null || !name.matches("[a-z0-9][a-z0-9_.-]{0,62}")) {
      throw new DefinitionError("agent name '" + name + "' must be lower-case letters, digits, '.', '_' or '-'");
    }
    List<String> caps = capabilities.length == 0 ? List.of("linux") : List.of(capabilities);
    for (String c : caps) {
      if (!c.matches("[A-Za-z0-9._-]+")) {
        throw new DefinitionError("agent capability '" + c + "' may hold only letters, digits, '.', '_' and '-'");
      }
    }
    return new AgentContainer(image, serverUrl, token, name, caps, false, Map.of(), Map.of(), Map.of());
  }

  /**
   * A CI agent in a container ({@link #agent}), with what its pipelines need of the host.
   *
   * <pre>{@code
   * GantryContainers.agent("registry1:5000/gantry/agent:1a2b3c4", "http://127.0.0.1:8080", token, "builder", "linux", "docker")
   *     .usingHostDocker()                                             // image steps build and push with the host's Docker
   *     .mountingReadOnly("/srv/gantry/repos", "/var/lib/gantry/repos") // the repository where the server names it
   *     .env("REGISTRY", "registry1:5000")
   *     .env("REGISTRY_PASSWORD", SecretRef.of("registry-password", "any"));
   * }</pre>
   */
  public record AgentContainer(String image, String serverUrl, SecretRef token, String name, List<String> capabilities,
      boolean hostDocker, Map<String, String> mounts, Map<String, String> plainEnv, Map<String, SecretRef> secretEnv)
      implements Property {
    public AgentContainer {
      capabilities = List.copyOf(capabilities);
      mounts = Collections.unmodifiableMap(new LinkedHashMap<>(mounts));
      plainEnv = Collections.unmodifiableMap(new LinkedHashMap<>(plainEnv));
      secretEnv = Collections.unmodifiableMap(new LinkedHashMap<>(secretEnv));
    }

    /**
     * The host's Docker Engine for the agent's pipelines (its socket mounted): image steps
     * build and push there. Whoever controls a pipeline then controls the host's Docker, as
     * with any CI agent given Docker: run only trusted repositories' pipelines on it.
     */
    public AgentContainer usingHostDocker() {
      return new AgentContainer(image, serverUrl, token, name, capabilities, true, mounts, plainEnv, secretEnv);
    }

    /** The host's {@code hostPath} at {@code containerPath}, read-only (a repository the server names by path). */
    public AgentContainer mountingReadOnly(String hostPath, String containerPath) {
      ServiceTransport.requireAbsolute(hostPath, "agent " + name + "'s mount");
      ServiceTransport.requireAbsolute(containerPath, "agent " + name + "'s mount");
      for (String path : List.of(hostPath, containerPath)) {
        if (!path.matches("/[A-Za-z0-9_./-]*")) {
          throw new DefinitionError("agent " + name + "'s mount path '" + path + "' may hold only letters, digits, '.', '_', '-' and '/'");
        }
      }
      Map<String, String> m = new LinkedHashMap<>(mounts);
      m.put(hostPath, containerPath);
      return new AgentContainer(image, serverUrl, token, name, capabilities, hostDocker, m, plainEnv, secretEnv);
    }

    /** {@code variable} in the agent's environment, so in its pipelines' steps. */
    public AgentContainer env(String variable, String value) {
      requireVariable(variable, value);
      Map<String, String> e = new LinkedHashMap<>(plainEnv);
      e.put(variable, value);
      return new AgentContainer(image, serverUrl, token, name, capabilities, hostDocker, mounts, e, secretEnv);
    }

    /** {@code variable} from the vault in the agent's environment: written to its 0600 environment file only. */
    public AgentContainer env(String variable, SecretRef secret) {
      requireVariable(variable, "");
      if (secret == null) {
        throw new DefinitionError("agent " + name + ": the secret for " + variable + " is missing (SecretRef.of(field, context))");
      }
      Map<String, SecretRef> e = new LinkedHashMap<>(secretEnv);
      e.put(variable, secret);
      return new AgentContainer(image, serverUrl, token, name, capabilities, hostDocker, mounts, plainEnv, e);
    }

    private void requireVariable(String variable, String value) {
      if (variable == null || !variable.matches("[A-Za-z_][A-Za-z0-9_]*") || variable.equals("GANTRY_AGENT_TOKEN")) {
        throw new DefinitionError("agent " + name + ": '" + variable + "' is not a variable name it may set");
      }
      if (value == null || value.contains("\n")) {
        throw new DefinitionError("agent " + name + ": the value of " + variable + " must be one line");
      }
    }

    @Override
    public String describe() {
      return "gantry agent container " + name + " for " + serverUrl;
    }

    @Override
    public List<Info> info() {
      List<Info> info = new ArrayList<>(body().info());
      info.add(new Info.ServiceMonitored(unitName()));
      info.add(new Info.SecretUsed(token));
      secretEnv.values().forEach(ref -> info.add(new Info.SecretUsed(ref)));
      return info;
    }

    @Override
    public Result apply(Context ctx) {
      return body().apply(ctx);
    }

    private Property body() {
      String env = ENV_DIR + "/agent-" + name + ".env";
      Map<String, SecretRef> secrets = new LinkedHashMap<>(secretEnv);
      secrets.put("GANTRY_AGENT_TOKEN", token);
      Property restart = Systemd.restarted(unitName());
      return Props.sequence(describe(),
          Docker.running(),
          File.directory(ENV_DIR, FileAttrs.mode(0755)),
          Props.sequence(unitName() + "'s unit and environment",
              envFile(env, plainEnv, secrets),
              Systemd.unit(unitName() + ".service", agentUnit(this, env))).onChange(restart),
          Systemd.enabled(unitName()), Systemd.started(unitName()));
    }

    String unitName() {
      return "gantry-agent-" + name;
    }
  }

  /** The server's unit: a pure function of its image, port, volume, transport and environment file. */
  static String serverUnit(String image, int port, String dataVolume, ServiceTransport transport, String envFile) {
    String tlsFiles = switch (transport) {
      case ServiceTransport.Tls t -> " -v " + t.certificate() + ":" + TLS_CERT + ":ro -v " + t.key() + ":" + TLS_KEY + ":ro";
      case ServiceTransport.PlainOnPrivateNetwork p -> "";
    };
    return unit("Gantry server (CI, monitor, web UI) in a container", "gantry-server",
        "--env-file " + envFile + " -p " + port + ":8080 -v " + dataVolume + ":" + DATA + tlsFiles + " " + image);
  }

  /** The server's plain settings: the repository it guards, and TLS or the explicit plain-HTTP choice. */
  static Map<String, String> serverEnvironment(String ciRepository, ServiceTransport transport) {
    return switch (transport) {
      case ServiceTransport.Tls t -> Map.of("GANTRY_CI_REPOSITORY", ciRepository, "GANTRY_SERVER_TLS_CERT", TLS_CERT,
          "GANTRY_SERVER_TLS_KEY", TLS_KEY);
      case ServiceTransport.PlainOnPrivateNetwork p -> Map.of("GANTRY_CI_REPOSITORY", ciRepository, "GANTRY_SERVER_INSECURE_HTTP", "true");
    };
  }

  /** An agent's unit: the token and the other secrets are only in {@code envFile}. */
  static String agentUnit(AgentContainer a, String envFile) {
    StringBuilder run = new StringBuilder("--env-file " + envFile + " --network host -v gantry-agent-" + a.name()
        + ":/var/lib/gantry-agent");
    if (a.hostDocker()) {
      run.append(" -v /var/run/docker.sock:/var/run/docker.sock");
    }
    a.mounts().forEach((host, container) -> run.append(" -v ").append(host).append(':').append(container).append(":ro"));
    run.append(' ').append(a.image()).append(" --server ").append(a.serverUrl()).append(" --name ").append(a.name())
        .append(" --capabilities ").append(String.join(",", a.capabilities())).append(" --work /var/lib/gantry-agent");
    return unit("Gantry CI agent " + a.name() + " in a container", "gantry-agent-" + a.name(), run.toString());
  }

  private static String unit(String description, String container, String runArguments) {
    return """
        # managed by gantry
        [Unit]
        Description=%1$s
        After=docker.service
        Requires=docker.service

        [Service]
        ExecStartPre=-/usr/bin/docker rm -f %2$s
        ExecStart=/usr/bin/docker run --rm --name %2$s %3$s
        ExecStop=/usr/bin/docker stop %2$s
        Restart=on-failure
        RestartSec=2

        [Install]
        WantedBy=multi-user.target
        """.formatted(description, container, runArguments);
  }

  /** A Docker environment file: the plain values, then the secrets from the vault. */
  static String envFileContent(Map<String, String> plain, Map<String, String> secrets) {
    StringBuilder b = new StringBuilder("# managed by gantry\n");
    Map<String, String> all = new LinkedHashMap<>();
    plain.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> all.put(e.getKey(), e.getValue()));
    secrets.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> all.put(e.getKey(), e.getValue()));
    all.forEach((k, v) -> {
      if (v.contains("\n")) {
        throw new PropertyFailure("the value of " + k + " for a Gantry container holds a line break");
      }
      b.append(k).append('=').append(v).append('\n');
    });
    return b.toString();
  }

  /** {@code path} holds the environment, root's only (0600); its content never shows in a dry run. */
  private static Property envFile(String path, Map<String, String> plain, Map<String, SecretRef> secrets) {
    return Props.checked("container environment " + path + " (secrets not shown)", ctx -> {
      String want = envFileContent(plain, reveal(ctx, secrets));
      boolean same = ctx.target().readText(path).map(want::equals).orElse(false);
      boolean mode = same && ctx.target().run("stat", "-c", "%a %U", path).stdout().strip().equals("600 root");
      return Check.holdsIf(same && mode, "write " + path + " with mode 0600 (content not shown)");
    }, (ctx, c) -> ctx.target().write(path, envFileContent(plain, reveal(ctx, secrets)).getBytes(StandardCharsets.UTF_8),
        FileAttrs.mode(0600).withOwner("root", "root")));
  }

  private static Map<String, String> reveal(Context ctx, Map<String, SecretRef> secrets) {
    Map<String, String> out = new LinkedHashMap<>();
    secrets.forEach((k, ref) -> out.put(k, ctx.secret(ref)));
    return out;
  }

  private static void requireImage(String image) {
    if (image == null || !image.matches("[a-z0-9][a-z0-9._:/@-]*")) {
      throw new DefinitionError("'" + image + "' is not a Docker image reference (e.g. gantry/server:1a2b3c4)");
    }
  }

  private static void requirePort(int port) {
    if (port < 1 || port > 65535) {
      throw new DefinitionError("Gantry server port " + port + " is not in 1..65535");
    }
  }

  private static void requireVolume(String volume) {
    if (volume == null || !volume.matches("[A-Za-z0-9][A-Za-z0-9_.-]*|/[A-Za-z0-9_./-]*")) {
      throw new DefinitionError("'" + volume + "' is neither a Docker volume name nor an absolute path");
    }
  }

  private static void requireServerUrl(String url) {
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException | NullPointerException e) {
      u = null;
    }
    if (u == null || u.getHost() == null || !List.of("http", "https").contains(u.getScheme()) || url.contains(" ")) {
      throw new DefinitionError("the agent's server '" + url + "' must be an http(s) URL, e.g. http://ci1:8080");
    }
  }
}

package dev.gantry.deploy.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.core.UserError;
import dev.gantry.core.json.Json;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.Target;
import dev.gantry.deploy.generate.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Docker Engine of one host, through the {@code docker} command: images, volumes,
 * containers. Thin: each method is one or two docker commands.
 *
 * <pre>{@code
 * Docker docker = new Docker(LocalTarget.thisMachine());
 * if (!docker.imageExists("capital/app:abc123f")) { ... }
 * docker.ensureVolume("capital_events", Map.of("dev.gantry.system", "capital"));
 * }</pre>
 */
public final class Docker {
  private static final Duration SHORT = Duration.ofSeconds(60);
  private final Target exec;

  public Docker(Target exec) {
    this.exec = exec;
  }

  public Target executor() {
    return exec;
  }

  /** Fails with a clear message when the engine cannot be reached. */
  public void requireEngine() {
    exec.run(SHORT, "docker", "version", "--format", "{{.Server.Version}}")
        .requireOk("reaching the Docker Engine on " + exec.name());
  }

  /**
   * Pulls {@code ref} on the engine's host (from the registry it names, with the host's own
   * credentials); the result says whether it came.
   */
  public ProcessResult pull(String ref) {
    return exec.run(Duration.ofMinutes(15), "docker", "pull", "-q", ref);
  }

  /**
   * True when {@code ref} names a registry ({@code registry.example.com/app:1},
   * {@code 10.0.0.2:5000/app:1}, {@code localhost/app}), as Docker reads a reference; such an
   * image can be pulled, one without is local or Docker Hub's.
   */
  public static boolean namesRegistry(String ref) {
    int slash = ref.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String first = ref.substring(0, slash);
    return first.contains(".") || first.contains(":") || first.equals("localhost");
  }

  public boolean imageExists(String ref) {
    return exec.run(SHORT, "docker", "image", "inspect", "--format", "{{.Id}}", ref).ok();
  }

  /**
   * Each of {@code refs} to its identity (the repository digest when the image came from a
   * registry, else its local image id), in one call; empty when any of them is missing.
   */
  public Optional<Map<String, String>> imageIdentities(Collection<String> refs) {
    List<String> distinct = List.copyOf(new java.util.LinkedHashSet<>(refs));
    List<String> argv = new ArrayList<>(List.of("docker", "image", "inspect", "--format",
        "{{if .RepoDigests}}{{index .RepoDigests 0}}{{else}}{{.Id}}{{end}}"));
    argv.addAll(distinct);
    ProcessResult r = exec.run(SHORT, argv);
    List<String> lines = r.stdout().lines().toList();
    if (!r.ok() || lines.size() != distinct.size()) {
      return Optional.empty();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < distinct.size(); i++) {
      out.put(distinct.get(i), lines.get(i).strip());
    }
    return Optional.of(out);
  }

  public boolean volumeExists(String name) {
    return exec.run(SHORT, "docker", "volume", "inspect", name).ok();
  }

  /** Creates the volume when missing; returns true when it was created. */
  public boolean ensureVolume(String name, Map<String, String> labels) {
    if (volumeExists(name)) {
      return false;
    }
    List<String> argv = new ArrayList<>(List.of("docker", "volume", "create"));
    labels.forEach((k, v) -> argv.addAll(List.of("--label", k + "=" + v)));
    argv.add(name);
    exec.run(SHORT, argv).requireOk("creating volume " + name);
    return true;
  }

  /** Where the volume's data lies on the host (local driver). */
  public String mountpoint(String volume) {
    return findMountpoint(volume).orElseThrow(() -> new UserError("docker volume " + volume + " does not exist on "
        + exec.name()));
  }

  /** Where the volume's data lies on the host (local driver); empty when there is no such volume. */
  public Optional<String> findMountpoint(String volume) {
    ProcessResult r = exec.run(SHORT, "docker", "volume", "inspect", "--format", "{{.Mountpoint}}", volume);
    if (!r.ok() && r.stderr().toLowerCase(Locale.ROOT).contains("no such volume")) {
      return Optional.empty();
    }
    return Optional.of(r.requireOk("finding volume " + volume).stdout().strip());
  }

  public void removeVolume(String name) {
    ProcessResult r = exec.run(SHORT, "docker", "volume", "rm", "-f", name);
    if (!r.ok() && volumeExists(name)) {
      r.requireOk("removing volume " + name);
    }
  }

  /** Containers carrying {@code label=value}, with the service taken from {@code serviceLabel}. */
  public List<ContainerState> containers(String label, String value, String serviceLabel, boolean runningOnly) {
    List<String> argv = new ArrayList<>(List.of("docker", "ps", "-q", "--no-trunc", "--filter", "label=" + label + "=" + value));
    if (!runningOnly) {
      argv.add(2, "-a");
    }
    List<String> ids = exec.run(SHORT, argv).requireOk("listing containers").stdout().lines()
        .filter(l -> !l.isBlank()).toList();
    if (ids.isEmpty()) {
      return List.of();
    }
    return inspectContainers(ids, serviceLabel);
  }

  /**
   * The containers {@code ids} as {@link #containers} describes them, in one {@code docker
   * inspect}; empty when any of them is gone (the caller looks again).
   */
  public List<ContainerState> inspectContainers(List<String> ids, String serviceLabel) {
    List<String> inspect = new ArrayList<>(List.of("docker", "inspect", "--type", "container"));
    inspect.addAll(ids);
    ProcessResult r = exec.run(SHORT, inspect);
    if (!r.ok()) {
      return List.of();
    }
    return parse(r.stdout(), serviceLabel);
  }

  static List<ContainerState> parse(String inspectJson, String serviceLabel) {
    try {
      List<ContainerState> out = new ArrayList<>();
      for (JsonNode c : Json.mapper().readTree(inspectJson)) {
        JsonNode st = c.path("State");
        JsonNode health = st.path("Health");
        String lastOutput = "";
        String lastCheck = "";
        JsonNode log = health.path("Log");
        if (log.isArray() && !log.isEmpty()) {
          lastOutput = log.get(log.size() - 1).path("Output").asText("").strip();
          lastCheck = log.get(log.size() - 1).path("Start").asText("");
        }
        JsonNode labels = c.path("Config").path("Labels");
        out.add(new ContainerState(c.path("Id").asText(), labels.path(serviceLabel).asText(""),
            c.path("Config").path("Image").asText(), st.path("Status").asText(), health.path("Status").asText(""),
            st.path("ExitCode").asInt(), c.path("RestartCount").asInt(), lastOutput,
            labels.path(Labels.SERVICE).asText(""), c.path("Created").asText(""), lastCheck));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("reading docker inspect output: " + e.getMessage(), e);
    }
  }

  /** Stops containers (SIGTERM, then SIGKILL after {@code grace}); they stay, stopped. */
  public void stop(Collection<String> ids, Duration grace) {
    if (ids.isEmpty()) {
      return;
    }
    List<String> argv = new ArrayList<>(List.of("docker", "stop", "-t", String.valueOf(grace.toSeconds())));
    argv.addAll(ids);
    exec.run(SHORT.plus(grace), argv).requireOk("stopping containers");
  }

  /** Removes containers, running or not; their volumes stay. */
  public void remove(Collection<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    List<String> argv = new ArrayList<>(List.of("docker", "rm", "-f"));
    argv.addAll(ids);
    exec.run(SHORT, argv).requireOk("removing containers");
  }

  /** Sends a signal to a container's main process, e.g. {@code HUP} for an nginx reload. */
  public void signal(String id, String signal) {
    exec.run(SHORT, "docker", "kill", "-s", signal, id).requireOk("sending " + signal + " to container " + shortId(id));
  }

  /** The engine's own id: two hosts with the same id are the same Docker Engine. */
  public String engineId() {
    return exec.run(SHORT, "docker", "info", "--format", "{{.ID}}").requireOk("docker info on " + exec.name()).stdout().strip();
  }

  /** Host ports published by running containers, with the compose project or stack each belongs to. */
  public List<PublishedBinding> publishedPorts() {
    ProcessResult r = exec.run(SHORT, "docker", "ps", "--format",
        "{{.Names}}\t{{.Label \"com.docker.compose.project\"}}\t{{.Label \"com.docker.stack.namespace\"}}\t{{.Ports}}")
        .requireOk("listing published ports");
    List<PublishedBinding> out = new ArrayList<>();
    for (String line : r.stdout().lines().toList()) {
      String[] f = line.split("\t", -1);
      if (f.length < 4) {
        continue;
      }
      String project = !f[1].isEmpty() ? f[1] : f[2];
      for (String binding : f[3].split(",")) {
        // 127.0.0.1:8080->80/tcp, 0.0.0.0:80->80/tcp, :::80->80/tcp
        String b = binding.strip();
        int arrow = b.indexOf("->");
        if (arrow < 0) {
          continue;
        }
        String host = b.substring(0, arrow);
        int colon = host.lastIndexOf(':');
        if (colon < 0) {
          continue;
        }
        try {
          String addr = host.substring(0, colon);
          out.add(new PublishedBinding(addr.equals("::") || addr.isEmpty() ? "0.0.0.0" : addr,
              Integer.parseInt(host.substring(colon + 1)), f[0], project));
        } catch (NumberFormatException e) {
          // a port range or a format we do not know: not a single binding to compare
        }
      }
    }
    return out;
  }

  /** A host port a running container publishes. */
  public record PublishedBinding(String address, int port, String container, String project) {}

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  /** Runs a shell command in a running container. */
  public ProcessResult execShell(String container, String shell, Map<String, String> env, Duration timeout) {
    List<String> argv = new ArrayList<>(List.of("docker", "exec"));
    env.forEach((k, v) -> argv.addAll(List.of("-e", k + "=" + v)));
    argv.addAll(List.of(container, "sh", "-c", shell));
    return exec.run(timeout, argv);
  }

  /** Runs a one-off container of {@code image} with volumes mounted, removed afterwards. */
  public ProcessResult runOneOff(String image, Map<String, String> volumes, String shell, Duration timeout) {
    List<String> argv = new ArrayList<>(List.of("docker", "run", "--rm", "--entrypoint", "sh"));
    volumes.forEach((vol, path) -> argv.addAll(List.of("-v", vol + ":" + path)));
    argv.addAll(List.of(image, "-c", shell));
    return exec.run(timeout, argv);
  }

  /** The engine's swarm state: inactive, active, pending... */
  public String swarmState() {
    return exec.run(SHORT, "docker", "info", "--format", "{{.Swarm.LocalNodeState}}").requireOk("docker info").stdout().strip();
  }

  /** For callers that need the raw inspect of one object. */
  public Optional<JsonNode> inspect(String kind, String name) {
    ProcessResult r = exec.run(SHORT, "docker", kind, "inspect", name);
    if (!r.ok()) {
      return Optional.empty();
    }
    try {
      JsonNode n = Json.mapper().readTree(r.stdout());
      return n.isArray() && !n.isEmpty() ? Optional.of(n.get(0)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

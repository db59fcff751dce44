package dev.gantry.deploy.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.deploy.exec.ExecResult;
import dev.gantry.deploy.exec.Executor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Docker Engine of one host, through the {@code docker} command: images, volumes,
 * containers. Thin: each method is one or two docker commands.
 *
 * <pre>{@code
 * Docker docker = new Docker(new LocalExecutor());
 * if (!docker.imageExists("capital/app:abc123f")) { ... }
 * docker.ensureVolume("capital_events", Map.of("dev.gantry.system", "capital"));
 * }</pre>
 */
public final class Docker {
  private static final Duration SHORT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Executor exec;

  public Docker(Executor exec) {
    this.exec = exec;
  }

  public Executor executor() {
    return exec;
  }

  /** Fails with a clear message when the engine cannot be reached. */
  public void requireEngine() {
    exec.run(SHORT, "docker", "version", "--format", "{{.Server.Version}}")
        .requireOk("reaching the Docker Engine on " + exec.describe());
  }

  public boolean imageExists(String ref) {
    return exec.run(SHORT, "docker", "image", "inspect", "--format", "{{.Id}}", ref).ok();
  }

  /** The repository digest when the image came from a registry, else its local image id. */
  public String imageIdentity(String ref) {
    ExecResult r = exec.run(SHORT, "docker", "image", "inspect", "--format",
        "{{if .RepoDigests}}{{index .RepoDigests 0}}{{else}}{{.Id}}{{end}}", ref).requireOk("inspecting image " + ref);
    return r.stdout().strip();
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
    exec.run(argv, SHORT).requireOk("creating volume " + name);
    return true;
  }

  /** Where the volume's data lies on the host (local driver). */
  public String mountpoint(String volume) {
    return exec.run(SHORT, "docker", "volume", "inspect", "--format", "{{.Mountpoint}}", volume)
        .requireOk("finding volume " + volume).stdout().strip();
  }

  public void removeVolume(String name) {
    ExecResult r = exec.run(SHORT, "docker", "volume", "rm", "-f", name);
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
    List<String> ids = exec.run(argv, SHORT).requireOk("listing containers").stdout().lines()
        .filter(l -> !l.isBlank()).toList();
    if (ids.isEmpty()) {
      return List.of();
    }
    List<String> inspect = new ArrayList<>(List.of("docker", "inspect"));
    inspect.addAll(ids);
    ExecResult r = exec.run(inspect, SHORT);
    if (!r.ok()) {
      return List.of(); // a container vanished between ps and inspect; the caller polls again
    }
    return parse(r.stdout(), serviceLabel);
  }

  static List<ContainerState> parse(String inspectJson, String serviceLabel) {
    try {
      List<ContainerState> out = new ArrayList<>();
      for (JsonNode c : JSON.readTree(inspectJson)) {
        JsonNode st = c.path("State");
        JsonNode health = st.path("Health");
        String lastOutput = "";
        JsonNode log = health.path("Log");
        if (log.isArray() && !log.isEmpty()) {
          lastOutput = log.get(log.size() - 1).path("Output").asText("").strip();
        }
        out.add(new ContainerState(c.path("Id").asText(), c.path("Config").path("Labels").path(serviceLabel).asText(""),
            c.path("Config").path("Image").asText(), st.path("Status").asText(), health.path("Status").asText(""),
            st.path("ExitCode").asInt(), c.path("RestartCount").asInt(), lastOutput));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("reading docker inspect output: " + e.getMessage(), e);
    }
  }

  /** Runs a shell command in a running container. */
  public ExecResult execShell(String container, String shell, Map<String, String> env, Duration timeout) {
    List<String> argv = new ArrayList<>(List.of("docker", "exec"));
    env.forEach((k, v) -> argv.addAll(List.of("-e", k + "=" + v)));
    argv.addAll(List.of(container, "sh", "-c", shell));
    return exec.run(argv, timeout);
  }

  /** Runs a one-off container of {@code image} with volumes mounted, removed afterwards. */
  public ExecResult runOneOff(String image, Map<String, String> volumes, String shell, Duration timeout) {
    List<String> argv = new ArrayList<>(List.of("docker", "run", "--rm", "--entrypoint", "sh"));
    volumes.forEach((vol, path) -> argv.addAll(List.of("-v", vol + ":" + path)));
    argv.addAll(List.of(image, "-c", shell));
    return exec.run(argv, timeout);
  }

  /** The engine's swarm state: inactive, active, pending... */
  public String swarmState() {
    return exec.run(SHORT, "docker", "info", "--format", "{{.Swarm.LocalNodeState}}").requireOk("docker info").stdout().strip();
  }

  /** For callers that need the raw inspect of one object. */
  public Optional<JsonNode> inspect(String kind, String name) {
    ExecResult r = exec.run(SHORT, "docker", kind, "inspect", name);
    if (!r.ok()) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(r.stdout());
      return n.isArray() && !n.isEmpty() ? Optional.of(n.get(0)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

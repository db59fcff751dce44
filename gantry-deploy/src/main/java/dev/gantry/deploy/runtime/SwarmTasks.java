package dev.gantry.deploy.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.core.json.Json;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.Target;
import dev.gantry.deploy.docker.ContainerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tasks of a stack that the manager's own engine does not run, as the manager knows
 * them: on a swarm of several nodes the health gate must see the tasks on the other nodes
 * too, or a release would count as healthy while its tasks elsewhere still start or fail.
 * Swarm calls a task {@code running} only once its container's health check has passed (it
 * stays {@code starting} until then), so a task's state says as much as a container's health.
 *
 * <pre>{@code
 * List<ContainerState> elsewhere = new SwarmTasks(target).elsewhere("shop-web1");
 * }</pre>
 */
final class SwarmTasks {
  private static final Duration SHORT = Duration.ofSeconds(30);
  /** The states of a task that will run but whose container is not up yet, in Swarm's order. */
  private static final Set<String> COMING = Set.of("new", "pending", "assigned", "accepted", "preparing", "ready", "starting");

  private final Target exec;
  private String ownNode;

  SwarmTasks(Target exec) {
    this.exec = exec;
  }

  /** The stack's tasks on other nodes, and those of this node that have no container yet; none when there is no stack. */
  List<ContainerState> elsewhere(String project) {
    // a stack not deployed yet is "nothing found in stack": no tasks
    ProcessResult ps = exec.run(SHORT, "docker", "stack", "ps", project, "--no-trunc", "--format", "{{.ID}}\t{{.Name}}");
    if (!ps.ok()) {
      return List.of();
    }
    Map<String, String> names = new LinkedHashMap<>();
    ps.stdout().lines().map(l -> l.split("\t", 2)).filter(f -> f.length == 2).forEach(f -> names.put(f[0], f[1]));
    if (names.isEmpty()) {
      return List.of();
    }
    List<String> argv = new ArrayList<>(List.of("docker", "inspect", "--type", "task"));
    argv.addAll(names.keySet());
    ProcessResult inspected = exec.run(SHORT, argv);
    if (!inspected.ok()) {
      return List.of(); // a task went while we looked: the gate looks again
    }
    return parse(inspected.stdout(), names, project, ownNode());
  }

  /** This engine's node id in the swarm (asked once: it is fixed while the engine stays in the swarm). */
  String ownNode() {
    if (ownNode == null) {
      ownNode = exec.run(SHORT, "docker", "info", "--format", "{{.Swarm.NodeID}}").requireOk("docker info").stdout().strip();
    }
    return ownNode;
  }

  /**
   * The tasks of {@code docker inspect --type task} output as container states: a running task
   * of another node (healthy, if it has a check), one that is coming (starting, or its state
   * and Swarm's reason while it waits, e.g. {@code pending: no suitable node}); tasks that
   * ended are left out, as exited containers are. {@code names} maps task ids to their names
   * ({@code project_service.slot}).
   */
  static List<ContainerState> parse(String inspectJson, Map<String, String> names, String project, String ownNode) {
    try {
      List<ContainerState> out = new ArrayList<>();
      for (JsonNode t : Json.mapper().readTree(inspectJson)) {
        String id = t.path("ID").asText();
        String state = t.path("Status").path("State").asText("");
        boolean desired = t.path("DesiredState").asText("").equals("running");
        boolean here = t.path("NodeID").asText("").equals(ownNode);
        boolean coming = desired && COMING.contains(state);
        // this engine's containers are listed with their own detail; only what has none yet is added
        boolean include = here ? coming && !state.equals("starting") : state.equals("running") || coming;
        if (!include) {
          continue;
        }
        String container = t.path("Status").path("ContainerStatus").path("ContainerID").asText("");
        String err = t.path("Status").path("Err").asText("");
        String status = state.equals("running") || state.equals("starting") ? "running" : state + (err.isBlank() ? "" : ": " + err);
        String health = state.equals("running") ? "healthy" : state.equals("starting") ? "starting" : "";
        out.add(new ContainerState(container.isEmpty() ? id : container, serviceOf(names.getOrDefault(id, ""), project),
            t.path("Spec").path("ContainerSpec").path("Image").asText(""), status, health, 0, 0, "", "",
            t.path("CreatedAt").asText(""), ""));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("reading docker inspect output for tasks: " + e.getMessage(), e);
    }
  }

  /** {@code shop-web1_app.2} (a replica) or {@code shop-web1_agent.<node>} (global) is service {@code app}, {@code agent}. */
  static String serviceOf(String taskName, String project) {
    String s = taskName.startsWith(project + "_") ? taskName.substring(project.length() + 1) : taskName;
    int dot = s.lastIndexOf('.');
    return dot > 0 ? s.substring(0, dot) : s;
  }
}

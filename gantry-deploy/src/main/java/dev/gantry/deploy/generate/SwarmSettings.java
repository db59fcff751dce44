package dev.gantry.deploy.generate;

import dev.gantry.deploy.model.HealthCheck;
import dev.gantry.deploy.model.RestartPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code deploy} section of a stack service: replicas, restart policy, and update and
 * rollback settings derived from the health check, so Swarm waits as long as the check
 * needs to call a task unhealthy and then rolls the update back by itself. A stateless
 * service starts its new task before the old one stops ({@code start-first}); one with a
 * data volume cannot run twice, so its old task stops first.
 *
 * <p>On a swarm of several nodes, a task that needs what only the deploying manager has is
 * pinned there by a node label ({@link #homeLabel}): the front (it mounts its configuration
 * from the system's folder, and its host port is the address the definition names) and every
 * service with a data volume (Gantry creates and backs up volumes on that engine) or a
 * published host port. Other services go wherever Swarm spreads them.
 *
 * <pre>{@code
 * SwarmSettings.homeLabel("shop-web1")   // "dev.gantry.home.shop-web1", set to "true" on the manager
 * }</pre>
 */
public final class SwarmSettings {
  private SwarmSettings() {}

  /** The node label, set on the manager a stack is deployed from, that pins its host-bound tasks there. */
  public static String homeLabel(String project) {
    return "dev.gantry.home." + project;
  }

  static Map<String, Object> deploy(int replicas, RestartPolicy restart, Optional<HealthCheck.Timing> health,
      Map<String, String> labels, boolean stateless, Optional<String> pinnedToHomeOf) {
    Duration monitor = health.map(h -> h.worstCase().plusSeconds(2)).orElse(Duration.ofSeconds(5));
    String order = stateless ? "start-first" : "stop-first";
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("replicas", replicas);
    // DNS round robin, not a virtual IP: works without the kernel's IPVS, and nginx resolves each task
    m.put("endpoint_mode", "dnsrr");
    m.put("labels", labels);
    pinnedToHomeOf.ifPresent(project -> m.put("placement",
        ComposeGenerator.map("constraints", List.of("node.labels." + homeLabel(project) + " == true"))));
    m.put("restart_policy", ComposeGenerator.map("condition", restart.swarmCondition(), "delay", "2s"));
    m.put("update_config", ComposeGenerator.map(
        "parallelism", 1,
        "order", order,
        "failure_action", "rollback",
        "monitor", Yaml.duration(monitor),
        "max_failure_ratio", 0));
    m.put("rollback_config", ComposeGenerator.map(
        "parallelism", 1,
        "order", order,
        "failure_action", "pause",
        "monitor", Yaml.duration(monitor)));
    return m;
  }
}

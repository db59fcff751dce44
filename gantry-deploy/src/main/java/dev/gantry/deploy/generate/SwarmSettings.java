package dev.gantry.deploy.generate;

import dev.gantry.deploy.model.HealthCheck;
import dev.gantry.deploy.model.RestartPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code deploy} section of a stack service: replicas, restart policy, and update and
 * rollback settings derived from the health check, so Swarm waits as long as the check
 * needs to call a task unhealthy and then rolls the update back by itself. A stateless
 * service starts its new task before the old one stops ({@code start-first}); one with a
 * data volume cannot run twice, so its old task stops first.
 */
final class SwarmSettings {
  private SwarmSettings() {}

  static Map<String, Object> deploy(int replicas, RestartPolicy restart, Optional<HealthCheck.Timing> health,
      Map<String, String> labels, boolean stateless) {
    Duration monitor = health.map(h -> h.worstCase().plusSeconds(2)).orElse(Duration.ofSeconds(5));
    String order = stateless ? "start-first" : "stop-first";
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("replicas", replicas);
    // DNS round robin, not a virtual IP: works without the kernel's IPVS, and nginx resolves each task
    m.put("endpoint_mode", "dnsrr");
    m.put("labels", labels);
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

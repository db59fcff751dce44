package dev.gantry.deploy.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.core.UserError;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.Target;
import dev.gantry.deploy.docker.ContainerState;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.generate.SystemFiles;
import dev.gantry.deploy.layout.Layout;
import dev.gantry.deploy.model.Frontend;
import dev.gantry.deploy.model.GantrySystem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a system as a Docker Swarm stack ({@code docker stack deploy}) from the stack file
 * in the system's folder. Swarm rolls a failing update back by itself (the update and
 * rollback settings come from the health checks); this runtime reports that as a failure.
 *
 * <pre>{@code
 * new SwarmRuntime(docker).start(layout, system);
 * }</pre>
 */
public final class SwarmRuntime implements ContainerRuntime {
  static final String STACK_LABEL = "com.docker.stack.namespace";
  static final String SERVICE_LABEL = "com.docker.swarm.service.name";
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final Docker docker;

  public SwarmRuntime(Docker docker) {
    this.docker = docker;
  }

  /** Fails unless the host's engine is an active swarm manager. */
  public void requireSwarm() {
    String state = docker.swarmState();
    if (!state.equals("active")) {
      throw new UserError("the Docker Engine on " + docker.executor().name() + " is not part of a swarm (state: "
          + state + "); run `docker swarm init` there first");
    }
  }

  @Override
  public void requireReady() {
    requireSwarm();
  }

  @Override
  public String name() {
    return "swarm";
  }

  @Override
  public boolean swarm() {
    return true;
  }

  @Override
  public void check(Layout layout, String dir) {
    Target ex = docker.executor();
    String file = dir + "/" + SystemFiles.STACK;
    if (ex.run(Duration.ofSeconds(30), "docker", "stack", "config", "--help").ok()) {
      ex.run(Duration.ofSeconds(60), "docker", "stack", "config", "-c", file).requireOk("checking the stack file");
    } else {
      ComposeRuntime.detect(docker).check(layout, dir);
    }
  }

  @Override
  public void start(Layout layout, GantrySystem system) {
    requireSwarm();
    // images are local to the node: asking a registry for digests would fail
    docker.executor().run(TIMEOUT, List.of("docker", "stack", "deploy", "--prune", "--resolve-image", "never",
        "-c", layout.stackFile(), layout.project())).requireOk("deploying stack " + layout.project());
  }

  @Override
  public void stop(Layout layout, GantrySystem system) {
    stopServices(layout, system, serviceNames(system));
  }

  @Override
  public void stopServices(Layout layout, GantrySystem system, Collection<String> services) {
    List<String> argv = new ArrayList<>(List.of("docker", "service", "scale"));
    for (String s : services) {
      if (docker.inspect("service", layout.project() + "_" + s).isPresent()) {
        argv.add(layout.project() + "_" + s + "=0");
      }
    }
    if (argv.size() > 3) {
      docker.executor().run(TIMEOUT, argv).requireOk("stopping stack " + layout.project());
    }
  }

  @Override
  public void remove(Layout layout) {
    docker.executor().run(TIMEOUT, "docker", "stack", "rm", layout.project()).requireOk("removing stack " + layout.project());
  }

  @Override
  public List<ContainerState> states(Layout layout) {
    String prefix = layout.project() + "_";
    // Swarm replaces a task that exited by itself: an exited task (the old one of a
    // stop-first update, one caught between ps and inspect) is not the service's state
    return docker.containers(STACK_LABEL, layout.project(), SERVICE_LABEL, true).stream().filter(ContainerState::running)
        .map(c -> c.withService(c.service().startsWith(prefix) ? c.service().substring(prefix.length()) : c.service()))
        .toList();
  }

  /** Swarm's own verdict on the last update of each service: a rollback or pause is a failure. */
  @Override
  public Optional<String> failure(Layout layout, GantrySystem system, Map<String, String> images) {
    for (Map.Entry<String, String> e : images.entrySet()) {
      String s = e.getKey();
      Optional<JsonNode> svc = docker.inspect("service", layout.project() + "_" + s);
      if (svc.isEmpty()) {
        continue;
      }
      JsonNode us = svc.get().path("UpdateStatus");
      String state = us.path("State").asText("");
      String specImage = svc.get().path("Spec").path("TaskTemplate").path("ContainerSpec").path("Image").asText("");
      // a rollback that ended at the image we want (an automatic rollback of ours) is no failure
      boolean wanted = specImage.equals(e.getValue()) || specImage.startsWith(e.getValue() + "@");
      if ((state.startsWith("rollback") || state.equals("paused")) && !wanted) {
        return Optional.of("swarm " + state.replace('_', ' ') + " the update of service " + s
            + (us.path("Message").asText("").isBlank() ? "" : ": " + us.path("Message").asText()));
      }
    }
    return Optional.empty();
  }

  @Override
  public ProcessResult exec(Layout layout, String service, String shell, Map<String, String> env, Duration timeout) {
    ContainerState c = states(layout).stream().filter(s -> s.service().equals(service)).findFirst()
        .orElseThrow(() -> new UserError("service '" + service + "' of stack " + layout.project() + " has no running task"));
    return docker.execShell(c.id(), shell, env, timeout);
  }

  @Override
  public boolean needsBootUnit() {
    return false;
  }

  private static List<String> serviceNames(GantrySystem system) {
    List<String> names = new ArrayList<>(system.services().stream().map(s -> s.name()).toList());
    system.frontend().ifPresent(f -> names.add(Frontend.SERVICE));
    return names;
  }
}

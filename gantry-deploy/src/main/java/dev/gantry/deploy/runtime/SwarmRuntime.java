package dev.gantry.deploy.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.core.UserError;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.Target;
import dev.gantry.deploy.docker.ContainerState;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.generate.SwarmSettings;
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
 * <p>The swarm may have several nodes. The manager deployed to is labelled as the stack's
 * home ({@link SwarmSettings#homeLabel}), where its host-bound tasks are pinned; the stack is
 * deployed with the registry credentials of the manager's Docker client, so every node can
 * pull what it names; and the states the health gate judges are those of every task of the
 * stack on every node ({@link SwarmTasks}), not only the manager's own containers.
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
  private final SwarmTasks tasks;

  public SwarmRuntime(Docker docker) {
    this.docker = docker;
    this.tasks = new SwarmTasks(docker.executor());
  }

  /** Fails unless the host's engine is an active swarm manager. */
  public void requireSwarm() {
    String state = docker.swarmState();
    if (!state.equals("active")) {
      throw new UserError("the Docker Engine on " + docker.executor().name() + " is not part of a swarm (state: "
          + state + "); run `docker swarm init` there first");
    }
    String manager = docker.executor().run(Duration.ofSeconds(30), "docker", "info", "--format", "{{.Swarm.ControlAvailable}}")
        .requireOk("docker info").stdout().strip();
    if (!manager.equals("true")) {
      throw new UserError("the Docker Engine on " + docker.executor().name() + " is a swarm worker, not a manager: "
          + "deploy to a manager of its swarm (`docker node ls` there lists them)");
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
    // Docker 20.10's client has no `stack config`: it answers `stack config --help` with the
    // list of stack commands and status 0, so the list is what tells
    boolean stackConfig = ex.run(Duration.ofSeconds(30), "docker", "stack", "--help").stdout().lines()
        .anyMatch(l -> l.startsWith("  config "));
    if (stackConfig) {
      ex.run(Duration.ofSeconds(60), "docker", "stack", "config", "-c", file).requireOk("checking the stack file");
    } else {
      ComposeRuntime.detect(docker).checkFile(layout.project(), file);
    }
  }

  @Override
  public void start(Layout layout, GantrySystem system) {
    requireSwarm();
    labelHome(layout);
    // an image may be local to the manager: asking a registry for digests would fail. Nodes
    // pull a registry's image with the manager's credentials, which the stack carries
    docker.executor().run(TIMEOUT, List.of("docker", "stack", "deploy", "--prune", "--resolve-image", "never",
        "--with-registry-auth", "-c", layout.stackFile(), layout.project())).requireOk("deploying stack " + layout.project());
  }

  /** Labels this manager as the home of the stack, where its host-bound tasks run; nothing changes when it already is. */
  private void labelHome(Layout layout) {
    String node = tasks.ownNode();
    if (!hasHomeLabel(node, layout)) {
      docker.executor().run(Duration.ofSeconds(30), "docker", "node", "update", "--label-add",
          SwarmSettings.homeLabel(layout.project()) + "=true", node)
          .requireOk("labelling swarm node " + node + " as the home of stack " + layout.project());
    }
  }


  private boolean hasHomeLabel(String node, Layout layout) {
    return docker.executor().run(Duration.ofSeconds(30), "docker", "node", "inspect", "--format",
        "{{index .Spec.Labels \"" + SwarmSettings.homeLabel(layout.project()) + "\"}}", node)
        .requireOk("inspecting swarm node " + node).stdout().strip().equals("true");
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
    // the label pinned the stack's tasks here; a node keeps no label of a stack that is gone
    String node = tasks.ownNode();
    if (hasHomeLabel(node, layout)) {
      docker.executor().run(Duration.ofSeconds(30), "docker", "node", "update", "--label-rm", SwarmSettings.homeLabel(layout.project()),
          node).requireOk("removing the label of stack " + layout.project() + " from swarm node " + node);
    }
  }

  /**
   * The stack's running containers on this manager, with the detail of its own engine
   * (health output), and the tasks on the other nodes as {@link SwarmTasks} describes them.
   */
  @Override
  public List<ContainerState> states(Layout layout) {
    List<ContainerState> out = new ArrayList<>(localStates(layout));
    out.addAll(tasks.elsewhere(layout.project()));
    return out;
  }

  /** The stack's running containers on this manager's own engine. */
  private List<ContainerState> localStates(Layout layout) {
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
    // a command runs in a container of this engine: a stateful service's tasks are pinned here
    ContainerState c = localStates(layout).stream().filter(s -> s.service().equals(service)).findFirst()
        .orElseThrow(() -> new UserError("service '" + service + "' of stack " + layout.project()
            + " has no running task on " + docker.executor().name()));
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

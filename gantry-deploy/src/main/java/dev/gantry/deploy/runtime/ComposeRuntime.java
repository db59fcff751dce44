package dev.gantry.deploy.runtime;

import dev.gantry.core.UserError;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.Target;
import dev.gantry.deploy.docker.ContainerState;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.generate.SystemFiles;
import dev.gantry.deploy.layout.Layout;
import dev.gantry.deploy.model.GantrySystem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Runs a system with docker-compose (v1 {@code docker-compose} or the {@code docker compose}
 * plugin, whichever the host has) from the compose file in the system's folder.
 *
 * <pre>{@code
 * ComposeRuntime compose = ComposeRuntime.detect(docker);
 * compose.start(layout, system);
 * }</pre>
 */
public final class ComposeRuntime implements ContainerRuntime {
  static final String PROJECT_LABEL = "com.docker.compose.project";
  static final String SERVICE_LABEL = "com.docker.compose.service";
  private static final Duration UP_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final Docker docker;
  private final List<String> composeCommand;

  public ComposeRuntime(Docker docker, List<String> composeCommand) {
    this.docker = docker;
    this.composeCommand = List.copyOf(composeCommand);
  }

  /** Finds docker-compose on the host, or fails naming what to install. */
  public static ComposeRuntime detect(Docker docker) {
    Target ex = docker.executor();
    ProcessResult v1 = ex.run(Duration.ofSeconds(30), "sh", "-c", "command -v docker-compose");
    if (v1.ok() && !v1.stdout().isBlank()) {
      return new ComposeRuntime(docker, List.of(v1.stdout().strip()));
    }
    ProcessResult plugin = ex.run(Duration.ofSeconds(30), "docker", "compose", "version");
    if (plugin.ok()) {
      ProcessResult path = ex.run(Duration.ofSeconds(30), "sh", "-c", "command -v docker");
      return new ComposeRuntime(docker, List.of(path.stdout().strip(), "compose"));
    }
    throw new UserError("neither docker-compose nor the docker compose plugin is installed on " + ex.name());
  }

  /** The compose command as an absolute path, for the systemd unit. */
  public String commandLine() {
    return String.join(" ", composeCommand);
  }

  @Override
  public String name() {
    return "compose";
  }

  @Override
  public boolean swarm() {
    return false;
  }

  @Override
  public void check(Layout layout, String dir) {
    run(layout.project(), dir + "/" + SystemFiles.COMPOSE, Duration.ofSeconds(60), "config", "-q")
        .requireOk("checking the compose file with " + commandLine());
  }

  /** Checks another file of the compose format, a stack file, with compose's own {@code config}. */
  void checkFile(String project, String file) {
    run(project, file, Duration.ofSeconds(60), "config", "-q").requireOk("checking " + file + " with " + commandLine());
  }

  /**
   * {@code up -d}: compose leaves alone every service whose entry did not change. Containers
   * of services no longer in the file (the old instances a switch leaves behind) are not
   * touched here; the deploy stops, keeps or removes them itself.
   */
  @Override
  public void start(Layout layout, GantrySystem system) {
    run(layout.project(), layout.composeFile(), UP_TIMEOUT, "up", "-d")
        .requireOk("starting " + layout.project());
  }

  @Override
  public void stop(Layout layout, GantrySystem system) {
    if (docker.executor().exists(layout.composeFile())) {
      run(layout.project(), layout.composeFile(), UP_TIMEOUT, "stop").requireOk("stopping " + layout.project());
    }
  }

  @Override
  public void stopServices(Layout layout, GantrySystem system, Collection<String> services) {
    docker.stop(states(layout).stream().filter(c -> c.running() && services.contains(c.declared())).map(ContainerState::id)
        .toList(), STOP_GRACE);
  }

  @Override
  public void remove(Layout layout) {
    if (docker.executor().exists(layout.composeFile())) {
      run(layout.project(), layout.composeFile(), UP_TIMEOUT, "down", "--remove-orphans").requireOk("removing " + layout.project());
    }
  }

  @Override
  public List<ContainerState> states(Layout layout) {
    return docker.containers(PROJECT_LABEL, layout.project(), SERVICE_LABEL, false);
  }

  /** One {@code docker inspect} of the containers seen; all of them again when one is gone. */
  @Override
  public List<ContainerState> refresh(Layout layout, List<ContainerState> seen) {
    if (seen.isEmpty()) {
      return states(layout);
    }
    List<ContainerState> now = docker.inspectContainers(seen.stream().map(ContainerState::id).toList(), SERVICE_LABEL);
    return now.size() == seen.size() ? now : states(layout);
  }

  @Override
  public ProcessResult exec(Layout layout, String service, String shell, Map<String, String> env, Duration timeout) {
    ContainerState c = states(layout).stream().filter(s -> s.service().equals(service) && s.running()).findFirst()
        .orElseThrow(() -> new UserError("service '" + service + "' of " + layout.project() + " has no running container"));
    return docker.execShell(c.id(), shell, env, timeout);
  }

  @Override
  public boolean needsBootUnit() {
    return true;
  }

  private ProcessResult run(String project, String file, Duration timeout, String... args) {
    List<String> argv = new ArrayList<>(composeCommand);
    argv.addAll(List.of("-p", project, "-f", file));
    argv.addAll(List.of(args));
    return docker.executor().run(timeout, argv);
  }
}

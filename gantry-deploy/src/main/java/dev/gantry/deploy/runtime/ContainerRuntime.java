package dev.gantry.deploy.runtime;

import dev.gantry.core.process.ProcessResult;
import dev.gantry.deploy.docker.ContainerState;
import dev.gantry.deploy.layout.Layout;
import dev.gantry.deploy.model.GantrySystem;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a system's containers are run on a host: docker-compose ({@link ComposeRuntime}) or
 * Docker Swarm ({@link SwarmRuntime}). The deploy engine is the same for both.
 */
public interface ContainerRuntime {

  /** {@code compose} or {@code swarm}; recorded in the ledger. */
  String name();

  /** Whether this runtime runs from the stack file (else the compose file). */
  boolean swarm();

  /** Checks what must hold on the host before anything changes (e.g. an active swarm). */
  default void requireReady() {}

  /** Checks the files staged in {@code dir} with the runtime's own tool before anything starts. */
  void check(Layout layout, String dir);

  /** Starts or updates the system from the files in its folder. */
  void start(Layout layout, GantrySystem system);

  /** Stops every container of the system; volumes stay. */
  void stop(Layout layout, GantrySystem system);

  /** Stops the containers of the declared {@code services} only; the rest keeps serving. */
  void stopServices(Layout layout, GantrySystem system, Collection<String> services);

  /** Removes the system's containers and networks; volumes stay. */
  void remove(Layout layout);

  /** The containers of the system, running or stopped, each with the name it runs under. */
  List<ContainerState> states(Layout layout);

  /**
   * The containers of {@link #states} again, looking only at those {@code seen} last time
   * when the runtime can (while a release is awaited nothing else creates containers).
   */
  default List<ContainerState> refresh(Layout layout, List<ContainerState> seen) {
    return states(layout);
  }

  /** Runs a shell command in a running container of {@code service} (the name it runs under). */
  ProcessResult exec(Layout layout, String service, String shell, Map<String, String> env, Duration timeout);

  /**
   * A failure the runtime itself reports while waiting for {@code images} (service to image)
   * to run, e.g. Swarm rolled the update back.
   */
  default Optional<String> failure(Layout layout, GantrySystem system, Map<String, String> images) {
    return Optional.empty();
  }

  /** Whether a systemd unit is needed to bring the system back after a reboot. */
  boolean needsBootUnit();
}

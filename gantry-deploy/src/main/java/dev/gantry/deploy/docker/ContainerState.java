package dev.gantry.deploy.docker;

/**
 * What Docker says about one container of a system.
 *
 * @param service the system's service name the container belongs to
 * @param status Docker's state: created, running, restarting, exited, dead, paused
 * @param health healthy, unhealthy, starting, or empty when the container has no check
 * @param lastHealthOutput the output of the latest health check, for error messages
 */
public record ContainerState(String id, String service, String image, String status, String health,
    int exitCode, int restartCount, String lastHealthOutput) {

  public boolean running() {
    return status.equals("running");
  }
}

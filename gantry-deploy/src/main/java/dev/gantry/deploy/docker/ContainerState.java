package dev.gantry.deploy.docker;

/**
 * What Docker says about one container of a system.
 *
 * @param service the name the runtime runs it under (compose service or stack service without the stack prefix)
 * @param status Docker's state: created, running, restarting, exited, dead, paused
 * @param health healthy, unhealthy, starting, or empty when the container has no check
 * @param lastHealthOutput the output of the latest health check, for error messages
 * @param declared the declared service it runs (Gantry's label), or empty when unlabelled
 * @param created when Docker created it (ISO-8601), to keep the newest stopped instances
 * @param lastHealthCheck when the latest health check started, as Docker wrote it, or empty:
 *     tells a verdict given before a change from one given after it
 */
public record ContainerState(String id, String service, String image, String status, String health,
    int exitCode, int restartCount, String lastHealthOutput, String declared, String created, String lastHealthCheck) {

  public ContainerState(String id, String service, String image, String status, String health, int exitCode,
      int restartCount, String lastHealthOutput) {
    this(id, service, image, status, health, exitCode, restartCount, lastHealthOutput, "", "", "");
  }

  public boolean running() {
    return status.equals("running");
  }

  /** The same container known under another service name. */
  public ContainerState withService(String name) {
    return new ContainerState(id, name, image, status, health, exitCode, restartCount, lastHealthOutput, declared, created, lastHealthCheck);
  }
}

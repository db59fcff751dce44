package dev.gantry.cloud.digitalocean.model;

/**
 * An action on a resource: {@code status} is {@code in-progress}, {@code completed} or
 * {@code errored}.
 */
public record Action(long id, String status, String type, String startedAt, String completedAt,
    Long resourceId, String resourceType, String regionSlug) {
  public boolean isDone() {
    return "completed".equals(status) || "errored".equals(status);
  }

  public boolean isErrored() {
    return "errored".equals(status);
  }
}

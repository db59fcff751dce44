package dev.gantry.deploy.model;

/** What Docker does when a container stops; the Compose values. */
public enum RestartPolicy {
  NO("no"),
  ALWAYS("always"),
  ON_FAILURE("on-failure"),
  UNLESS_STOPPED("unless-stopped");

  private final String compose;

  RestartPolicy(String compose) {
    this.compose = compose;
  }

  /** The value in a compose file, e.g. {@code unless-stopped}. */
  public String composeValue() {
    return compose;
  }

  /** The Swarm {@code restart_policy.condition} equivalent. */
  public String swarmCondition() {
    return switch (this) {
      case NO -> "none";
      case ON_FAILURE -> "on-failure";
      case ALWAYS, UNLESS_STOPPED -> "any";
    };
  }
}

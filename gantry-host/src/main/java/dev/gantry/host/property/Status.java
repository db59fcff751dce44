package dev.gantry.host.property;

/**
 * How a property ended. When combined, failed wins, then "would fail" (a dry run's
 * verdict), then a change, then no change.
 */
public enum Status {
  NO_CHANGE, WOULD_CHANGE, MADE_CHANGE, WOULD_FAIL, FAILED;

  /** The more significant of two statuses. */
  public Status and(Status other) {
    return this.ordinal() >= other.ordinal() ? this : other;
  }

  /** True for a change made or (in a dry run) one that would be made. */
  public boolean changed() {
    return this == MADE_CHANGE || this == WOULD_CHANGE;
  }

  /** True for a failure, or (in a dry run) one the real run would meet. */
  public boolean failed() {
    return this == FAILED || this == WOULD_FAIL;
  }
}

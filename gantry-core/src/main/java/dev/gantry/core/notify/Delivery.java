package dev.gantry.core.notify;

/**
 * How sending a {@link Notification} ended. A notifier's future always completes with one
 * of these, never exceptionally.
 *
 * @param status the outcome
 * @param attempts how many times it was tried (0 when dropped)
 * @param detail a short reason, safe to show: it never contains a webhook URL or password
 */
public record Delivery(Status status, int attempts, String detail) {

  public enum Status {
    /** The receiver accepted it. */
    DELIVERED,
    /** The receiver refused it for good, or every attempt failed. */
    FAILED,
    /** Never tried: the notifier's queue was full or the notifier was closed. */
    DROPPED
  }

  public boolean delivered() {
    return status == Status.DELIVERED;
  }

  static Delivery delivered(int attempts, String detail) {
    return new Delivery(Status.DELIVERED, attempts, detail);
  }

  static Delivery failed(int attempts, String detail) {
    return new Delivery(Status.FAILED, attempts, detail);
  }

  static Delivery dropped(String detail) {
    return new Delivery(Status.DROPPED, 0, detail);
  }
}

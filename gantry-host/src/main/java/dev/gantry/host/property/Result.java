package dev.gantry.host.property;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What applying a property did: its status, a message saying what changed or failed, and
 * for file contents a unified diff (empty when none).
 *
 * <pre>{@code
 * return Result.madeChange("installed git");
 * }</pre>
 */
public record Result(Status status, String message, String diff) {
  public Result {
    Objects.requireNonNull(status, "status");
    message = message == null ? "" : message;
    diff = diff == null ? "" : diff;
  }

  public static Result noChange() {
    return new Result(Status.NO_CHANGE, "", "");
  }

  public static Result madeChange(String message) {
    return new Result(Status.MADE_CHANGE, message, "");
  }

  public static Result madeChange(String message, String diff) {
    return new Result(Status.MADE_CHANGE, message, diff);
  }

  public static Result wouldChange(String message, String diff) {
    return new Result(Status.WOULD_CHANGE, message, diff);
  }

  public static Result failed(String message) {
    return new Result(Status.FAILED, message, "");
  }

  /** A dry run's verdict that the real run would fail, for {@code reason}. */
  public static Result wouldFail(String reason) {
    return new Result(Status.WOULD_FAIL, reason, "");
  }

  /** Failed, or (in a dry run) would fail. */
  public boolean failed() {
    return status.failed();
  }

  public boolean changed() {
    return status.changed();
  }

  /** Combines results of parts: the strongest status, messages and diffs joined. */
  public static Result combine(List<Result> parts) {
    Status s = Status.NO_CHANGE;
    List<String> messages = new ArrayList<>();
    StringBuilder diff = new StringBuilder();
    for (Result r : parts) {
      s = s.and(r.status());
      if (!r.message().isBlank()) {
        messages.add(r.message());
      }
      diff.append(r.diff());
    }
    return new Result(s, String.join("; ", messages), diff.toString());
  }
}

package dev.gantry.cloud.digitalocean.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.cloud.digitalocean.http.ApiTransport;
import dev.gantry.cloud.digitalocean.http.DigitalOceanException;
import dev.gantry.cloud.digitalocean.http.Sleeper;
import dev.gantry.cloud.digitalocean.model.Action;
import dev.gantry.core.UserError;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.Consumer;

/**
 * Actions: read one, and wait for one to finish with a timeout, reporting progress on
 * every poll.
 *
 * <pre>{@code
 * Action done = client.actions().await(action, Duration.ofMinutes(5), p -> System.out.println(p.describe()));
 * }</pre>
 */
public final class Actions {
  private final ApiTransport api;
  private final Sleeper sleeper;
  private final InstantSource clock;
  private final Duration pollEvery;

  public Actions(ApiTransport api, Sleeper sleeper, InstantSource clock, Duration pollEvery) {
    this.api = api;
    this.sleeper = sleeper;
    this.clock = clock;
    this.pollEvery = pollEvery;
  }

  public Action get(long id) {
    String what = "reading action " + id;
    return read(api, what, api.get(what, "/v2/actions/" + id));
  }

  /**
   * Polls until the action completes; returns it completed.
   *
   * @throws UserError when it errors or is still running after {@code timeout}
   */
  public Action await(Action action, Duration timeout, Consumer<ActionProgress> progress) {
    Instant start = clock.instant();
    Action current = action;
    for (int poll = 0; ; poll++) {
      Duration elapsed = Duration.between(start, clock.instant());
      progress.accept(new ActionProgress(current, elapsed, poll));
      if (current.isErrored()) {
        throw new UserError("DigitalOcean: " + current.type() + " (action " + current.id() + ") on "
            + current.resourceType() + " " + current.resourceId() + " errored");
      }
      if (current.isDone()) {
        return current;
      }
      if (elapsed.compareTo(timeout) >= 0) {
        throw new UserError("DigitalOcean: " + current.type() + " (action " + current.id() + ") is still "
            + current.status() + " after " + timeout.toSeconds() + " s; it may finish later: "
            + "check it with the action id");
      }
      try {
        Duration left = timeout.minus(elapsed);
        sleeper.sleep(left.compareTo(pollEvery) < 0 ? left : pollEvery);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DigitalOceanException("waiting for action " + current.id(), "interrupted", e);
      }
      current = get(current.id());
    }
  }

  static Action read(ApiTransport api, String what, JsonNode body) {
    JsonNode a = body.path("action");
    if (!a.isObject()) {
      throw new DigitalOceanException(what, "the answer has no 'action' object", null);
    }
    return api.json().convertValue(a, Action.class);
  }
}

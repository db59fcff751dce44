package dev.gantry.monitor.testing;

import dev.gantry.monitor.alert.Alert;
import dev.gantry.monitor.alert.AlertBook;
import dev.gantry.monitor.alert.AlertMessage;
import dev.gantry.monitor.alert.Receiver;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.engine.EngineCore;
import dev.gantry.monitor.engine.Outbox;
import dev.gantry.monitor.index.Index;
import dev.gantry.monitor.rules.Monitoring;
import dev.gantry.monitor.rules.RuleSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Tests monitoring rules in virtual time: events are fed with timestamps, time is
 * advanced in ticks, and the notifications the rules would send are recorded instead.
 *
 * <pre>{@code
 * RuleHarness h = RuleHarness.of(Monitoring.rules().rule(hostDown(Duration.ofMinutes(2))));
 * h.send(Event.builder().host("web1").service("cpu").ttl(10).time(h.now()).build());
 * h.advance(Duration.ofMinutes(3));
 * assertThat(h.titles()).containsExactly("FIRING host-down on web1");
 * }</pre>
 */
public final class RuleHarness {
  /** A notification the rules sent. */
  public record Sent(String route, List<Receiver> receivers, AlertMessage message) {}

  private final VirtualClock clock;
  private final EngineCore core;
  private final List<Sent> sent = new ArrayList<>();
  private final Duration tick;

  private RuleHarness(RuleSet rules, Instant start, Duration tick, double defaultTtlSeconds) {
    this.clock = new VirtualClock(start);
    this.tick = tick;
    Outbox outbox = (route, receivers, message) -> sent.add(new Sent(route, receivers, message));
    this.core = new EngineCore(clock, new Index(defaultTtlSeconds), new AlertBook(), outbox, EngineCore.Hooks.NONE, true);
    core.reload(rules);
  }

  /** A harness for these declarations, starting at 2024-01-01T00:00:00Z, ticking every second. */
  public static RuleHarness of(Monitoring... monitoring) {
    return new RuleHarness(RuleSet.of(List.of(monitoring)), Instant.parse("2024-01-01T00:00:00Z"), Duration.ofSeconds(1), 60);
  }

  /** A harness with an explicit start, tick and default TTL. */
  public static RuleHarness of(RuleSet rules, Instant start, Duration tick, double defaultTtlSeconds) {
    return new RuleHarness(rules, start, tick, defaultTtlSeconds);
  }

  public Instant now() {
    return clock.instant();
  }

  /** A builder for an event stamped with the current virtual time. */
  public Event.Builder event() {
    return Event.builder().time(now());
  }

  /** Feeds events as if they had just arrived. */
  public RuleHarness send(Event... events) {
    core.ingest(List.of(events));
    return this;
  }

  /** Moves time forward tick by tick, running expiry, windows and alerts at each. */
  public RuleHarness advance(Duration d) {
    Instant end = now().plus(d);
    while (now().plus(tick).compareTo(end) <= 0) {
      clock.advance(tick);
      core.tick();
    }
    if (now().isBefore(end)) {
      clock.advance(Duration.between(now(), end));
      core.tick();
    }
    return this;
  }

  /** Replaces the rules, as a hot reload does; state of rules keeping their name survives. */
  public RuleHarness reload(Monitoring... monitoring) {
    core.reload(RuleSet.of(List.of(monitoring)));
    return this;
  }

  public List<Sent> sent() {
    return List.copyOf(sent);
  }

  /** The titles of the notifications sent so far, in order. */
  public List<String> titles() {
    return sent.stream().map(s -> s.message().title()).toList();
  }

  public List<Alert> alerts() {
    return core.book().alerts();
  }

  public AlertBook book() {
    return core.book();
  }

  public Index index() {
    return core.index();
  }

  public List<Event> query(String q) {
    return core.query(q);
  }
}

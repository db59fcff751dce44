package dev.gantry.monitor.engine;

import dev.gantry.monitor.alert.Alert;
import dev.gantry.monitor.alert.AlertBook;
import dev.gantry.monitor.alert.AlertMessage;
import dev.gantry.monitor.alert.Condition;
import dev.gantry.monitor.alert.Receiver;
import dev.gantry.monitor.alert.Status;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.index.Index;
import dev.gantry.monitor.index.IndexSlot;
import dev.gantry.monitor.query.Query;
import dev.gantry.monitor.rules.Rule;
import dev.gantry.monitor.rules.RuleSet;
import dev.gantry.monitor.stream.StateRegistry;
import dev.gantry.monitor.stream.Stream;
import dev.gantry.monitor.stream.StreamContext;
import dev.gantry.monitor.stream.StreamRuntime;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's logic without threads: events go into the index and through the rules,
 * time passing expires events and moves alerts along, notifications go to the outbox.
 * {@link Engine} lets one thread at a time use it; the rule test harness drives it in virtual time.
 */
public final class EngineCore implements StreamRuntime {
  private static final Logger log = LoggerFactory.getLogger(EngineCore.class);

  /** A rule as running: its name and its built stream. */
  private record Running(String name, Stream stream) {}

  private final InstantSource clock;
  private final Index index;
  private final AlertBook book;
  private final Outbox outbox;
  private final StateRegistry states = new StateRegistry();
  private final Hooks hooks;
  private final boolean indexAll;
  private List<Running> running = List.of();
  // the time of the batch or tick going through the rules, read once for all its events
  // (a clock reading per event and rule cost more than the rest of some rules); MIN_VALUE between
  private long handlingMicros = Long.MIN_VALUE;
  private RuleSet rules = RuleSet.empty();

  /** What the engine reports outward: counters, forwarding, persistence of the alert book. */
  public interface Hooks {
    void count(String what);

    void forward(String host, int port, Event e);

    void alertsChanged(AlertBook.State state);

    Hooks NONE = new Hooks() {
      public void count(String what) {}

      public void forward(String host, int port, Event e) {}

      public void alertsChanged(AlertBook.State state) {}
    };
  }

  /**
   * @param indexAll whether every incoming event is indexed (Gantry's default) rather than
   *     only those a rule sends to {@code index()}
   */
  public EngineCore(InstantSource clock, Index index, AlertBook book, Outbox outbox, Hooks hooks, boolean indexAll) {
    this.clock = clock;
    this.index = index;
    this.book = book;
    this.outbox = outbox;
    this.hooks = hooks;
    this.indexAll = indexAll;
  }

  /** Replaces the rules; state of rules that keep their name survives. */
  public void reload(RuleSet set) {
    List<Running> built = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Rule r : set.rules()) {
      names.add(r.name());
      built.add(new Running(r.name(), r.stream().build(new StreamContext(this, r.name()))));
    }
    states.retainRules(names);
    book.policies(set.policies());
    this.rules = set;
    this.running = List.copyOf(built);
  }

  public RuleSet rules() {
    return rules;
  }

  /** Indexes the events and runs them through every rule. */
  public void ingest(List<Event> events) {
    long outer = handlingMicros;
    handlingMicros = clockMicros();
    try {
      ingestAt(events);
    } finally {
      handlingMicros = outer;
    }
  }

  private void ingestAt(List<Event> events) {
    List<Running> rs = running;
    for (Event received : events) {
      Event e = CollectdRepair.repaired(received);
      if (e != received) {
        hooks.count(e == null ? "collectd-dropped" : "collectd-repaired");
        if (e == null) {
          continue;
        }
      }
      if (indexAll) {
        index.put(e);
      }
      for (Running r : rs) {
        try {
          r.stream.accept(e);
        } catch (RuntimeException ex) {
          ruleFailed(r, ex);
        }
      }
    }
    if (book.takeDirty()) {
      afterAlertChange();
    }
  }

  /** Time passed: expire events, tick the rules, move alerts, send what is due. */
  public void tick() {
    tick(prepareTick());
  }

  /**
   * What a tick will look at, found without changing anything: the events that outlived
   * their TTL. Safe while another thread ingests, so the search need not hold events up.
   *
   * <pre>{@code
   * Tick t = core.prepareTick();   // any thread, events still flowing
   * lock.lock();                  // whatever keeps other threads off the core
   * try { core.tick(t); } finally { lock.unlock(); }
   * }</pre>
   */
  public Tick prepareTick() {
    long now = clockMicros();
    return new Tick(now, index.expiring(now));
  }

  /** A prepared tick: its time and the index slots found outlived then. */
  public record Tick(long nowMicros, List<IndexSlot> expiring) {}

  /** {@link #tick()} with what {@link #prepareTick()} found; candidates refreshed since stay. */
  public void tick(Tick prepared) {
    long outer = handlingMicros;
    handlingMicros = prepared.nowMicros();
    try {
      tickAt(prepared);
    } finally {
      handlingMicros = outer;
    }
  }

  private void tickAt(Tick prepared) {
    long now = prepared.nowMicros();
    List<Event> expired = index.expire(now, prepared.expiring());
    if (!expired.isEmpty()) {
      hooks.count("expired");
      ingestWithoutIndex(expired);
    }
    for (Running r : running) {
      try {
        r.stream.tick(now);
      } catch (RuntimeException ex) {
        ruleFailed(r, ex);
      }
    }
    Instant at = clock.instant();
    book.tick(at);
    dispatch(at);
    if (book.takeDirty()) {
      hooks.alertsChanged(book.state());
    }
  }

  private void ingestWithoutIndex(List<Event> events) {
    for (Event e : events) {
      for (Running r : running) {
        try {
          r.stream.accept(e);
        } catch (RuntimeException ex) {
          ruleFailed(r, ex);
        }
      }
    }
  }

  private void afterAlertChange() {
    dispatch(clock.instant());
    book.takeDirty();
    hooks.alertsChanged(book.state());
  }

  private void dispatch(Instant at) {
    for (AlertBook.Outgoing o : book.due(at)) {
      outbox.send(o.route(), book.policy(o.route()).receivers(), o.message());
    }
  }

  private void ruleFailed(Running r, RuntimeException ex) {
    hooks.count("rule-errors");
    log.warn("rule '{}' failed on an event: {}", r.name, ex.toString());
  }

  /** The indexed events matching {@code query}; a direct lookup when it names host and service. */
  public List<Event> query(String query) {
    Query q = Query.parse(query);
    var key = q.directLookup();
    if (key.isPresent()) {
      Event e = index.get(key.get());
      return e == null ? List.of() : List.of(e);
    }
    List<Event> out = new ArrayList<>();
    for (Event e : index.events()) {
      if (q.matches(e)) {
        out.add(e);
      }
    }
    return out;
  }

  /** Runs {@code f} on the alert book and persists what it changed. */
  public <T> T withBook(java.util.function.Function<AlertBook, T> f) {
    T result = f.apply(book);
    if (book.takeDirty()) {
      afterAlertChange();
    }
    return result;
  }

  public Index index() {
    return index;
  }

  public AlertBook book() {
    return book;
  }

  /** Now in microseconds: the batch's or tick's time while one goes through the rules. */
  @Override
  public long nowMicros() {
    return handlingMicros != Long.MIN_VALUE ? handlingMicros : clockMicros();
  }

  private long clockMicros() {
    return micros(clock.instant());
  }

  /** {@code t} in microseconds since the epoch, the unit of event times. */
  public static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }

  // ---- StreamRuntime ----

  @Override
  public InstantSource clock() {
    return clock;
  }

  @Override
  public StateRegistry states() {
    return states;
  }

  @Override
  public void condition(String rule, Condition c) {
    book.observe(rule, c, clock.instant());
  }

  @Override
  public void deliver(List<Receiver> receivers, Event e) {
    String title = (e.state() == null ? "" : e.state().toUpperCase(java.util.Locale.ROOT) + " ")
        + (e.host() == null ? "" : e.host() + " ") + (e.service() == null ? "" : e.service());
    AlertMessage.Kind kind = "ok".equals(e.state()) ? AlertMessage.Kind.RESOLVED : AlertMessage.Kind.INFO;
    Map<String, String> fields = e.hasMetric() ? Map.of("metric", String.valueOf(e.metric())) : Map.of();
    outbox.send("notify", receivers, new AlertMessage(title.trim(), e.description() == null ? "" : e.description(), kind, null, fields));
  }

  @Override
  public void forward(String host, int port, Event e) {
    hooks.forward(host, port, e);
  }

  @Override
  public void count(String what) {
    hooks.count(what);
  }

  @Override
  public List<Alert> openAlerts(String name) {
    return book.alerts().stream()
        .filter(a -> a.name().equals(name) && a.status() != Status.RESOLVED)
        .toList();
  }
}

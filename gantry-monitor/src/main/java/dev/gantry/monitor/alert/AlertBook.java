package dev.gantry.monitor.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The alerts and silences, and the decisions about them: a pure state machine driven by
 * conditions and the time passed in (no clock, no I/O), so it is tested in virtual time.
 *
 * <ul>
 *   <li>an active condition makes an alert PENDING, FIRING once active for its
 *       {@code forDuration}; an inactive one drops a pending alert silently and resolves a
 *       firing one;</li>
 *   <li>notifications are grouped (alert name, and host unless the policy says otherwise),
 *       sent once per firing alert (deduplicated), repeated after the repeat interval,
 *       and followed by one resolve notification;</li>
 *   <li>silenced alerts are tracked but not notified.</li>
 * </ul>
 *
 * <pre>{@code
 * book.observe("disk-full", condition, now);
 * for (AlertBook.Outgoing o : book.due(now)) { dispatch(o); }
 * }</pre>
 */
public final class AlertBook {
  /** How long a resolved alert stays visible before it is forgotten. */
  static final Duration RESOLVED_RETENTION = Duration.ofHours(1);

  /** A notification to send for the rules of {@code route}. */
  public record Outgoing(String route, AlertMessage message, List<Alert> alerts) {}

  /** Everything the book holds, for persistence. */
  public record State(List<Alert> alerts, List<Silence> silences, Map<String, Instant> groupsLastSent) {}

  private final Map<String, Alert> alerts = new LinkedHashMap<>();
  private final Map<String, Silence> silences = new LinkedHashMap<>();
  private final Map<String, Instant> groupLastSent = new HashMap<>();
  private Map<String, AlertPolicy> policies = Map.of();
  private boolean dirty;

  /** Sets the policy of each route (rule name); unknown routes use {@link AlertPolicy#DEFAULT}. */
  public void policies(Map<String, AlertPolicy> byRoute) {
    this.policies = Map.copyOf(byRoute);
  }

  public AlertPolicy policy(String route) {
    return policies.getOrDefault(route, AlertPolicy.DEFAULT);
  }

  /** True when something worth persisting changed since the last call. */
  public boolean takeDirty() {
    boolean d = dirty;
    dirty = false;
    return d;
  }

  /** Applies a rule's condition. */
  public void observe(String route, Condition c, Instant now) {
    String fp = Alert.fingerprint(c.alert(), c.host(), c.service());
    Alert a = alerts.get(fp);
    if (c.active()) {
      if (a == null || a.status() == Status.RESOLVED) {
        a = new Alert(c.alert(), c.host(), c.service(), route, Status.PENDING, c.severity(), c.summary(), c.metric(),
            now, null, null, null, false, c.forDuration().toMillis());
        dirty = true;
      } else {
        a = a.describedAs(c.severity(), c.summary(), c.metric());
      }
      alerts.put(fp, promote(a, now));
    } else if (a != null) {
      if (a.status() == Status.PENDING) {
        alerts.remove(fp);
        dirty = true;
      } else if (a.status() == Status.FIRING) {
        alerts.put(fp, a.describedAs(a.severity(), c.summary(), c.metric()).with(Status.RESOLVED, a.firingSince(), now));
        dirty = true;
      }
    }
  }

  private Alert promote(Alert a, Instant now) {
    if (a.status() == Status.PENDING && !now.isBefore(a.activeSince().plusMillis(a.forMillis()))) {
      dirty = true;
      return a.with(Status.FIRING, now, null);
    }
    return a;
  }

  /** Time passed: pending alerts fire when due, old resolved alerts and silences are dropped. */
  public void tick(Instant now) {
    alerts.replaceAll((fp, a) -> promote(a, now));
    dirty |= alerts.values().removeIf(a -> a.status() == Status.RESOLVED
        && (a.resolveNotified() || a.lastNotified() == null)
        && a.resolvedAt().plus(RESOLVED_RETENTION).isBefore(now));
    dirty |= silences.values().removeIf(s -> !s.endsAt().isAfter(now));
  }

  /** The notifications due at {@code now}; alerts are marked as notified. */
  public List<Outgoing> due(Instant now) {
    if (!mayBeDue(now)) {
      return List.of();
    }
    Map<String, List<Alert>> groups = new TreeMap<>();
    for (Alert a : alerts.values()) {
      groups.computeIfAbsent(groupKey(a), k -> new ArrayList<>()).add(a);
    }
    List<Outgoing> out = new ArrayList<>();
    for (Map.Entry<String, List<Alert>> g : groups.entrySet()) {
      List<Alert> members = g.getValue();
      AlertPolicy policy = policy(members.get(0).route());
      List<Alert> loud = members.stream().filter(a -> !silenced(a, now)).toList();
      List<Alert> firing = loud.stream().filter(a -> a.status() == Status.FIRING).toList();
      List<Alert> newlyFiring = firing.stream().filter(a -> a.lastNotified() == null).toList();
      List<Alert> newlyResolved = policy.sendResolved()
          ? loud.stream().filter(a -> a.status() == Status.RESOLVED && a.lastNotified() != null && !a.resolveNotified()).toList()
          : List.of();
      Instant lastSent = groupLastSent.get(g.getKey());
      boolean waitOver = newlyFiring.stream().map(Alert::firingSince).min(Comparator.naturalOrder())
          .map(first -> !now.isBefore(first.plus(policy.groupWait()))).orElse(false);
      boolean repeat = !firing.isEmpty() && lastSent != null && !now.isBefore(lastSent.plus(policy.repeatInterval()));
      if (waitOver || repeat) {
        out.add(new Outgoing(members.get(0).route(), Messages.firing(firing), firing));
        for (Alert a : firing) {
          alerts.put(a.fingerprint(), a.notified(now));
        }
        groupLastSent.put(g.getKey(), now);
        dirty = true;
      }
      if (!newlyResolved.isEmpty()) {
        out.add(new Outgoing(members.get(0).route(), Messages.resolved(newlyResolved), newlyResolved));
        for (Alert a : newlyResolved) {
          alerts.put(a.fingerprint(), a.resolveSent());
        }
        dirty = true;
      }
    }
    return out;
  }

  /**
   * False when no group can have anything due: no alert waits for its first firing or
   * resolved notification, and none was notified a repeat interval ago or more (a group was
   * last sent no earlier than any of its firing members was last notified). Runs every tick,
   * where grouping a few hundred firing alerts held the rules for about half a millisecond.
   */
  private boolean mayBeDue(Instant now) {
    for (Alert a : alerts.values()) {
      if (a.status() == Status.FIRING) {
        if (a.lastNotified() == null || !now.isBefore(a.lastNotified().plus(policy(a.route()).repeatInterval()))) {
          return true;
        }
      } else if (a.status() == Status.RESOLVED && a.lastNotified() != null && !a.resolveNotified()) {
        return true;
      }
    }
    return false;
  }

  private String groupKey(Alert a) {
    return a.route() + "\u0000" + a.name() + (policy(a.route()).groupByHost() ? "\u0000" + a.host() : "");
  }

  /** True when an active silence matches {@code a}. */
  public boolean silenced(Alert a, Instant now) {
    for (Silence s : silences.values()) {
      if (s.activeAt(now) && s.matches(a)) {
        return true;
      }
    }
    return false;
  }

  /** Creates a silence; the query is checked first. */
  public Silence silence(String query, Instant start, Instant end, String comment, String author) {
    Silence s = new Silence(UUID.randomUUID().toString().substring(0, 8), query, start, end,
        comment == null ? "" : comment, author == null ? "" : author);
    silences.put(s.id(), s);
    dirty = true;
    return s;
  }

  /** Ends a silence now; false when no silence has that id. */
  public boolean expireSilence(String id) {
    boolean removed = silences.remove(id) != null;
    dirty |= removed;
    return removed;
  }

  public List<Alert> alerts() {
    return List.copyOf(alerts.values());
  }

  public Optional<Alert> alert(String name, String host, String service) {
    return Optional.ofNullable(alerts.get(Alert.fingerprint(name, host, service)));
  }

  public List<Silence> silences() {
    return List.copyOf(silences.values());
  }

  public State state() {
    return new State(alerts(), silences(), Map.copyOf(groupLastSent));
  }

  /** Replaces the content with a persisted state. */
  public void restore(State s) {
    alerts.clear();
    silences.clear();
    groupLastSent.clear();
    s.alerts().forEach(a -> alerts.put(a.fingerprint(), a));
    s.silences().forEach(x -> silences.put(x.id(), x));
    groupLastSent.putAll(s.groupsLastSent());
  }
}

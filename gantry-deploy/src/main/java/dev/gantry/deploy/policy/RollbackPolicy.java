package dev.gantry.deploy.policy;

import dev.gantry.deploy.ledger.ReleaseRecord;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.Service;
import dev.gantry.deploy.model.VolumeMount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides whether a rollback may happen and how, from the ledger and the system model (a
 * pure function; the event inspection is passed in).
 *
 * <ul>
 *   <li>Same event-schema version in both releases for every service: redeploy the older tags;
 *       events written since are read correctly by the older release.</li>
 *   <li>A version changed: refuse and explain (roll forward instead), unless data loss is
 *       accepted and every event written since the deploy that left the older release is of
 *       a harmless type; then restore that deploy's backup of the changed services' volumes
 *       and start the older release.</li>
 * </ul>
 *
 * <pre>{@code
 * Decision d = RollbackPolicy.decide(system, ledger.history("capital", "prod"), null, false,
 *     (service, since) -> List.of("UserLoggedIn"));
 * }</pre>
 */
public final class RollbackPolicy {
  private RollbackPolicy() {}

  /** Lists the type of each event a service wrote since a time (one entry per event). */
  @FunctionalInterface
  public interface EventInspector {
    List<String> eventTypesSince(Service service, Instant since);
  }

  /** What to do. */
  public sealed interface Decision {
    /** Start the target's tags; data stays as it is. */
    record Redeploy(ReleaseRecord from, ReleaseRecord target, String explanation) implements Decision {}

    /** Restore {@code volumes} from {@code backupId}, then start the target's tags. */
    record RestoreAndRedeploy(ReleaseRecord from, ReleaseRecord target, String backupId, List<String> volumes,
        String explanation) implements Decision {}

    /** Do nothing; {@code reason} says why and what to do instead. */
    record Refuse(String reason) implements Decision {}
  }

  public static Decision decide(GantrySystem system, List<ReleaseRecord> history, String toRelease,
      boolean acceptDataLoss, EventInspector inspector) {
    int cur = lastSucceeded(history, history.size() - 1);
    if (cur < 0) {
      return new Decision.Refuse("the ledger has no running release of system '" + system.name()
          + "' on this host; there is nothing to roll back");
    }
    ReleaseRecord current = history.get(cur);
    int tgt = -1;
    for (int i = cur - 1; i >= 0; i--) {
      ReleaseRecord r = history.get(i);
      if (r.succeeded() && (toRelease == null ? !r.release().equals(current.release()) : r.release().equals(toRelease))) {
        tgt = i;
        break;
      }
    }
    if (tgt < 0) {
      if (toRelease != null && toRelease.equals(current.release())) {
        return new Decision.Refuse("release " + toRelease + " is the one running now");
      }
      Set<String> known = new LinkedHashSet<>();
      history.stream().filter(ReleaseRecord::succeeded).forEach(r -> known.add(r.release()));
      known.remove(current.release());
      return new Decision.Refuse(toRelease == null
          ? "no earlier release of '" + system.name() + "' ran here before " + current.release()
          : "release " + toRelease + " never ran successfully here before " + current.release()
              + (known.isEmpty() ? "" : " (earlier releases: " + String.join(", ", known) + ")"));
    }
    ReleaseRecord target = history.get(tgt);
    Map<String, String> changed = changedSchemas(current, target);
    if (changed.isEmpty()) {
      return new Decision.Redeploy(current, target, "event-schema versions are the same in " + current.release()
          + " and " + target.release() + "; redeploying " + target.release() + " keeps all data");
    }
    ReleaseRecord successor = successorOf(history, tgt, cur);
    Instant since = successor.at();
    String what = describe(changed);
    String intro = "the event schema changed between " + target.release() + " and " + current.release() + " (" + what
        + "): release " + target.release() + " cannot read events written since " + since + ".";
    if (!acceptDataLoss) {
      return new Decision.Refuse(intro + " Roll forward with a fix instead; or, if every event written since then is"
          + " harmless, roll back with --accept-data-loss to restore the backup taken before " + successor.release()
          + " (" + Objects.requireNonNullElse(successor.backupId(), "none") + ") and lose those events.");
    }
    if (successor.backupId() == null) {
      return new Decision.Refuse(intro + " No backup was taken before " + successor.release()
          + " was deployed, so the older data cannot be restored; roll forward instead.");
    }
    List<String> volumes = new ArrayList<>();
    List<String> lost = new ArrayList<>();
    for (String name : changed.keySet()) {
      Service s = system.service(name).orElse(null);
      if (s == null || s.inspect().isEmpty()) {
        return new Decision.Refuse(intro + " Service " + name + " declares no inspect command, so Gantry cannot tell"
            + " whether the events written since then are harmless; refusing to lose them.");
      }
      Map<String, Integer> counts = new TreeMap<>();
      for (String t : inspector.eventTypesSince(s, since)) {
        counts.merge(t.strip(), 1, Integer::sum);
      }
      counts.remove("");
      List<String> harmful = counts.keySet().stream().filter(t -> !s.harmlessEvents().contains(t)).toList();
      if (!harmful.isEmpty()) {
        return new Decision.Refuse(intro + " Service " + name + " wrote events that are not harmless since then: "
            + summarize(counts, harmful) + ". Rolling back would lose them; roll forward instead.");
      }
      counts.forEach((t, n) -> lost.add(name + ": " + t + " x" + n));
      for (VolumeMount v : s.volumes()) {
        if (!volumes.contains(v.volume())) {
          volumes.add(v.volume());
        }
      }
    }
    return new Decision.RestoreAndRedeploy(current, target, successor.backupId(), volumes, intro
        + " Only harmless events were written since then (" + (lost.isEmpty() ? "none" : String.join(", ", lost))
        + "); restoring " + (volumes.isEmpty() ? "no volumes" : "volume(s) " + String.join(", ", volumes))
        + " from backup " + successor.backupId() + " loses them, as accepted.");
  }

  /** Services whose event-schema version differs, as {@code name -> "3 -> 4"}. */
  static Map<String, String> changedSchemas(ReleaseRecord current, ReleaseRecord target) {
    Map<String, String> out = new TreeMap<>();
    current.schemas().forEach((svc, v) -> {
      Integer old = target.schemas().get(svc);
      if (old != null && !old.equals(v)) {
        out.put(svc, old + " -> " + v);
      }
    });
    return out;
  }

  private static int lastSucceeded(List<ReleaseRecord> h, int from) {
    for (int i = from; i >= 0; i--) {
      if (h.get(i).succeeded()) {
        return i;
      }
    }
    return -1;
  }

  /** The first change that succeeded after the target: its backup holds the data as the target left it. */
  private static ReleaseRecord successorOf(List<ReleaseRecord> h, int tgt, int cur) {
    for (int i = tgt + 1; i <= cur; i++) {
      if (h.get(i).succeeded()) {
        return h.get(i);
      }
    }
    return h.get(cur);
  }

  private static String describe(Map<String, String> changed) {
    List<String> parts = new ArrayList<>();
    changed.forEach((s, v) -> parts.add(s + " " + v));
    return String.join(", ", parts);
  }

  private static String summarize(Map<String, Integer> counts, List<String> types) {
    return String.join(", ", types.stream().map(t -> t + " x" + counts.get(t)).toList());
  }
}

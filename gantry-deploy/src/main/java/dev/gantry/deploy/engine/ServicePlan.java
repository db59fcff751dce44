package dev.gantry.deploy.engine;

import dev.gantry.deploy.generate.ComposeGenerator;
import dev.gantry.deploy.generate.Placement;
import dev.gantry.deploy.model.Frontend;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a release does to each service, decided from the compose file that runs now and the
 * one about to be written: nothing (same entry), a new instance beside the old one that the
 * front switches to, a recreation in place (and why two copies cannot run), an addition or
 * a removal. A pure function, so the dry run prints exactly what the real run does.
 *
 * <pre>{@code
 * ServicePlan plan = ServicePlan.of(system, Optional.of(currentComposeText), model, false);
 * plan.changes().forEach(c -> System.out.println(c.describe()));
 * }</pre>
 */
public record ServicePlan(List<Change> changes, Map<String, String> previousNames) {

  public ServicePlan {
    changes = List.copyOf(changes);
    previousNames = Map.copyOf(previousNames);
  }

  /** One service's fate in a release. */
  public sealed interface Change {
    String service();

    String describe();

    /** Same entry as now: compose leaves the container alone. */
    record Unchanged(String service, String name) implements Change {
      public String describe() {
        return service + ": unchanged (" + name + " keeps running)";
      }
    }

    /** Not running before. */
    record Added(String service, String name) implements Change {
      public String describe() {
        return service + ": new, starts as " + name;
      }
    }

    /** A new instance starts beside the old; the front switches once it is healthy and proven reachable. */
    record StartsBeside(String service, String oldName, String newName) implements Change {
      public String describe() {
        return service + ": " + newName + " starts beside " + oldName + "; the front switches to it once it is healthy, "
            + "then " + oldName + " drains and stops (kept for a quick rollback)";
      }
    }

    /** Replaced in place: down while it restarts. */
    record Recreated(String service, String name, String why, boolean stateful) implements Change {
      public String describe() {
        return service + " will be recreated: it is down while it restarts (" + why + ")";
      }
    }

    /** Updated by Swarm itself, task by task. */
    record RolledBySwarm(String service, String order) implements Change {
      public String describe() {
        return service + ": updated by swarm, " + order;
      }
    }

    /** No longer declared: stopped and removed (its volumes stay). */
    record Removed(String service, String name) implements Change {
      public String describe() {
        return service + ": no longer declared, " + name + " is stopped and removed (its volumes stay)";
      }
    }
  }

  /** Plans {@code next} against the compose file running now, if any. */
  public static ServicePlan of(GantrySystem system, Optional<String> currentCompose, ComposeGenerator.Model next, boolean swarm) {
    Map<String, Map<String, Object>> now = currentCompose.map(ComposeGenerator::services).orElse(Map.of());
    Map<String, Map<String, Object>> then = ComposeGenerator.services(next);
    Map<String, String> previousNames = new LinkedHashMap<>();
    now.forEach((name, entry) -> previousNames.put(ComposeGenerator.serviceOf(name, entry), name));
    List<Change> changes = new ArrayList<>();
    List<String> declared = new ArrayList<>(system.services().stream().map(Service::name).toList());
    system.frontend().ifPresent(f -> declared.add(Frontend.SERVICE));
    for (String service : declared) {
      String name = next.names().get(service);
      String old = previousNames.get(service);
      if (old == null) {
        changes.add(new Change.Added(service, name));
      } else if (old.equals(name) && Objects.equals(now.get(old), then.get(name))) {
        changes.add(new Change.Unchanged(service, name));
      } else if (swarm) {
        boolean stateless = system.service(service).map(s -> s.exclusiveVolumes().isEmpty()).orElse(false);
        changes.add(new Change.RolledBySwarm(service, stateless ? "the new task starts before the old one stops"
            : "the old task stops first (" + (service.equals(Frontend.SERVICE) ? "it binds the host's ports" : "it mounts a data volume") + ")"));
      } else if (!old.equals(name)) {
        changes.add(new Change.StartsBeside(service, old, name));
      } else {
        changes.add(recreated(system, service, name));
      }
    }
    previousNames.forEach((service, name) -> {
      if (!declared.contains(service)) {
        changes.add(new Change.Removed(service, name));
      }
    });
    return new ServicePlan(changes, previousNames);
  }

  private static Change recreated(GantrySystem system, String service, String name) {
    if (service.equals(Frontend.SERVICE)) {
      return new Change.Recreated(service, name, "its container's specification changed: image, ports or mounts", false);
    }
    Service s = system.service(service).orElseThrow();
    return switch (Placement.of(system, s)) {
      case Placement.InPlace p -> new Change.Recreated(service, name, p.why(), p.stateful());
      // a stateless service keeps its name only when its entry is the same, so this is never reached
      case Placement.BesideTheOld b -> new Change.Recreated(service, name, "its specification changed", false);
    };
  }

  /** Whether any service starts beside its old instance, so the front must switch. */
  public boolean switchesFront() {
    return changes.stream().anyMatch(c -> c instanceof Change.StartsBeside);
  }

  /** The changes that take a service down while it restarts. */
  public List<Change.Recreated> downtime() {
    return changes.stream().filter(c -> c instanceof Change.Recreated).map(c -> (Change.Recreated) c).toList();
  }

  /**
   * The old instances a switch would keep serving that do not run now (the front's own
   * container first), given the names of the running containers: when any is missing there
   * is nothing to switch from (they were removed or crashed), and the release simply starts.
   */
  public List<String> notServing(Set<String> running) {
    List<String> out = new ArrayList<>();
    Optional.ofNullable(previousNames.get(Frontend.SERVICE)).filter(n -> !running.contains(n)).ifPresent(out::add);
    changes.stream().filter(c -> c instanceof Change.StartsBeside).map(c -> ((Change.StartsBeside) c).oldName())
        .filter(n -> !running.contains(n)).forEach(out::add);
    return out;
  }

  /** Whether the front runs now and is not replaced by this release, so it can switch without a restart. */
  public boolean frontKept() {
    return changes.stream().anyMatch(c -> c instanceof Change.Unchanged u && u.service().equals(Frontend.SERVICE));
  }
}

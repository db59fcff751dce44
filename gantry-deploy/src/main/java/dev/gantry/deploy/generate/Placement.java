package dev.gantry.deploy.generate;

import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.PublishedPort;
import dev.gantry.deploy.model.Service;
import dev.gantry.deploy.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;

/**
 * How a new release of a service replaces the old one under docker-compose. A stateless
 * service runs a fresh instance beside the old one and the front switches to it once it is
 * healthy ({@link BesideTheOld}); a service that cannot have two copies at once is
 * recreated in place ({@link InPlace}), and the plan says why, because it is down while it
 * restarts.
 *
 * <pre>{@code
 * switch (Placement.of(system, service)) {
 *   case Placement.BesideTheOld b -> ...;
 *   case Placement.InPlace p -> System.out.println(service.name() + " is recreated: " + p.why());
 * }
 * }</pre>
 */
public sealed interface Placement {

  /** A new instance starts under its own name; the old one stops after the switch. */
  record BesideTheOld() implements Placement {}

  /** The container is replaced; {@code why} names what forbids two copies, e.g. "it mounts data volume dbdata". */
  record InPlace(String why, boolean stateful) implements Placement {}

  /** Decides for one service of {@code system}. */
  static Placement of(GantrySystem system, Service s) {
    List<String> why = new ArrayList<>();
    List<VolumeMount> exclusive = s.exclusiveVolumes();
    if (!exclusive.isEmpty()) {
      why.add("it mounts data volume " + String.join(", ", exclusive.stream().map(VolumeMount::volume).distinct().toList())
          + ", which two copies cannot share (sharedVolume declares one they can)");
    }
    if (!s.published().isEmpty()) {
      why.add("it publishes host port " + String.join(", ", s.published().stream().map(PublishedPort::hostPort)
          .map(String::valueOf).toList()) + ", which only one container can bind");
    }
    List<String> dependents = system.services().stream().filter(o -> o.dependsOn().contains(s.name())).map(Service::name).toList();
    if (!dependents.isEmpty()) {
      why.add(String.join(", ", dependents) + " reach" + (dependents.size() == 1 ? "es" : "") + " it by name");
    }
    return why.isEmpty() ? new BesideTheOld() : new InPlace(String.join("; ", why), !exclusive.isEmpty());
  }
}

package dev.gantry.deploy.model;

import dev.gantry.core.definition.DefinitionError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a system before anything changes on a host: unknown dependencies, dependency
 * cycles, host ports published twice, routes to unknown services or ports, health checks
 * without a port. A pure function over the model.
 *
 * <pre>{@code
 * SystemValidator.requireValid(system); // throws a DefinitionError listing every problem
 * }</pre>
 */
public final class SystemValidator {
  private SystemValidator() {}

  /** Throws a {@link DefinitionError} naming the system and listing every problem, or returns quietly. */
  public static void requireValid(GantrySystem system) {
    List<String> problems = problems(system);
    if (!problems.isEmpty()) {
      throw new DefinitionError("system '" + system.name() + "' is not valid:\n  - " + String.join("\n  - ", problems));
    }
  }

  /** Every problem found, in a stable order; empty when valid. */
  public static List<String> problems(GantrySystem system) {
    List<String> out = new ArrayList<>();
    Map<String, Service> byName = new LinkedHashMap<>();
    system.services().forEach(s -> byName.put(s.name(), s));
    if (byName.isEmpty()) {
      out.add("it declares no services");
    }
    for (Service s : system.services()) {
      for (String d : s.dependsOn()) {
        if (d.equals(s.name())) {
          out.add("service '" + s.name() + "' depends on itself");
        } else if (!byName.containsKey(d)) {
          out.add("service '" + s.name() + "' depends on unknown service '" + d + "' (services: "
              + String.join(", ", byName.keySet()) + ")");
        }
      }
      Set<Integer> seen = new HashSet<>();
      for (int p : s.ports()) {
        if (!seen.add(p)) {
          out.add("service '" + s.name() + "' declares port " + p + " twice");
        }
      }
      Set<String> paths = new HashSet<>();
      for (VolumeMount v : s.volumes()) {
        if (!paths.add(v.path())) {
          out.add("service '" + s.name() + "' mounts two volumes at " + v.path());
        }
      }
      if (s.health().orElse(null) instanceof HealthCheck.Http h && h.port() == null && s.ports().isEmpty()) {
        out.add("service '" + s.name() + "' has an HTTP health check but declares no port");
      }
      if (!s.harmlessEvents().isEmpty() && !s.persistsEvents()) {
        out.add("service '" + s.name() + "' lists harmless events but declares no event schema");
      }
      if (s.name().equals(Frontend.SERVICE) && system.frontend().isPresent()) {
        out.add("service name '" + Frontend.SERVICE + "' is taken by the front end");
      }
    }
    cycle(byName).ifPresent(c -> out.add("dependency cycle: " + String.join(" -> ", c)));
    out.addAll(portClashes(system));
    system.frontend().ifPresent(f -> out.addAll(routeProblems(f, byName)));
    return out;
  }

  private static java.util.Optional<List<String>> cycle(Map<String, Service> byName) {
    Map<String, Integer> state = new HashMap<>(); // 1 visiting, 2 done
    for (String start : byName.keySet()) {
      List<String> path = new ArrayList<>();
      List<String> found = visit(start, byName, state, path);
      if (found != null) {
        return java.util.Optional.of(found);
      }
    }
    return java.util.Optional.empty();
  }

  private static List<String> visit(String n, Map<String, Service> byName, Map<String, Integer> state, List<String> path) {
    Integer st = state.get(n);
    if (st != null && st == 2) {
      return null;
    }
    if (st != null && st == 1) {
      List<String> c = new ArrayList<>(path.subList(path.indexOf(n), path.size()));
      c.add(n);
      return c;
    }
    Service s = byName.get(n);
    if (s == null) {
      return null; // reported as unknown dependency
    }
    state.put(n, 1);
    path.add(n);
    for (String d : s.dependsOn()) {
      if (!d.equals(n)) {
        List<String> c = visit(d, byName, state, path);
        if (c != null) {
          return c;
        }
      }
    }
    path.remove(path.size() - 1);
    state.put(n, 2);
    return null;
  }

  private record Binding(String owner, String ip, int port) {}

  private static List<String> portClashes(GantrySystem system) {
    List<Binding> all = new ArrayList<>();
    for (Service s : system.services()) {
      for (PublishedPort p : s.published()) {
        all.add(new Binding("service '" + s.name() + "'", p.hostIp(), p.hostPort()));
      }
    }
    system.frontend().ifPresent(f -> {
      all.add(new Binding("the front end (http)", f.bindAddress(), f.httpPort()));
      if (f.usesTls()) {
        all.add(new Binding("the front end (https)", f.bindAddress(), f.httpsPort()));
      }
    });
    List<String> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        Binding a = all.get(i);
        Binding b = all.get(j);
        boolean overlap = a.ip().equals(b.ip()) || a.ip().equals("0.0.0.0") || b.ip().equals("0.0.0.0");
        if (a.port() == b.port() && overlap) {
          out.add("host port " + a.port() + " is published twice: by " + a.owner() + " on " + a.ip()
              + " and by " + b.owner() + " on " + b.ip());
        }
      }
    }
    return out;
  }

  private static List<String> routeProblems(Frontend f, Map<String, Service> byName) {
    List<String> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Site site : f.sites()) {
      for (String n : site.serverNames()) {
        if (!names.add(n)) {
          out.add("front end: host name '" + n + "' is used by two sites");
        }
      }
      Set<String> paths = new HashSet<>();
      for (Route r : site.routes()) {
        if (!paths.add(r.path())) {
          out.add("front end, " + site.label() + ": path " + r.path() + " is routed twice");
        }
        Service s = byName.get(r.service());
        if (s == null) {
          out.add("front end, " + site.label() + ": route " + r.path() + " goes to unknown service '"
              + r.service() + "' (services: " + String.join(", ", byName.keySet()) + ")");
        } else if (!s.ports().contains(r.port())) {
          out.add("front end, " + site.label() + ": route " + r.path() + " goes to port " + r.port()
              + " but service '" + s.name() + "' declares " + (s.ports().isEmpty() ? "no ports" : "ports " + s.ports()));
        }
      }
    }
    return out;
  }
}

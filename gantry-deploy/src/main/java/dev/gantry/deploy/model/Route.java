package dev.gantry.deploy.model;

import dev.gantry.core.definition.DefinitionError;

/** A path prefix of the front end proxied to {@code service:port}. */
public record Route(String path, String service, int port) {
  public Route {
    if (path == null || !path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == ';' || c == '{' || c == '}')) {
      throw new DefinitionError("route path '" + path + "' must start with '/' and contain no spaces, ';' or braces");
    }
    Ports.check(port, "route " + path + ": port");
  }

  /** A route for {@code path} to {@code port} of the service whose handle {@link GantrySystem#add} returned. */
  public static Route to(String path, ServiceRef service, int port) {
    if (service == null) {
      throw new DefinitionError("route " + path + ": the service is null");
    }
    return new Route(path, service.name(), port);
  }

  /** Parses {@code "app:8080"} into a route for {@code path}. */
  public static Route parse(String path, String upstream) {
    int colon = upstream == null ? -1 : upstream.lastIndexOf(':');
    if (colon <= 0 || colon == upstream.length() - 1) {
      throw new DefinitionError("route " + path + ": upstream '" + upstream + "' must be SERVICE:PORT, e.g. app:8080");
    }
    int port;
    try {
      port = Integer.parseInt(upstream.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new DefinitionError("route " + path + ": '" + upstream.substring(colon + 1) + "' in '" + upstream + "' is not a port");
    }
    return new Route(path, upstream.substring(0, colon), port);
  }
}

package dev.gantry.deploy.model;

import dev.gantry.core.definition.DefinitionError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A virtual server of the front end: host names (empty for the default server), routes,
 * and optionally TLS certificate and key paths on the host.
 *
 * <pre>{@code
 * Site.named("shop.example.com").route("/", "app:8080").tls("/etc/ssl/shop.crt", "/etc/ssl/shop.key")
 * }</pre>
 */
public record Site(List<String> serverNames, List<Route> routes, Optional<Tls> tls) {
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?");

  /** Certificate chain and private key, as absolute paths on the host. */
  public record Tls(String certificate, String key) {
    public Tls {
      for (String p : new String[] {certificate, key}) {
        if (p == null || !p.startsWith("/") || p.chars().anyMatch(c -> c <= ' ' || c == ';')) {
          throw new DefinitionError("TLS file '" + p + "' must be an absolute path without spaces or ';'");
        }
      }
    }
  }

  public Site {
    serverNames = List.copyOf(serverNames);
    routes = List.copyOf(routes);
    for (String n : serverNames) {
      if (!HOST.matcher(n).matches()) {
        throw new DefinitionError("'" + n + "' is not a host name for the front end");
      }
    }
  }

  /** The default server (answers any host name). */
  public static Site defaultServer() {
    return new Site(List.of(), List.of(), Optional.empty());
  }

  /** A server answering the given host names. */
  public static Site named(String... hostNames) {
    if (hostNames.length == 0) {
      throw new DefinitionError("a named site needs at least one host name");
    }
    return new Site(List.of(hostNames), List.of(), Optional.empty());
  }

  /** Proxies requests under {@code path} to {@code upstream} ({@code "service:port"}). */
  public Site route(String path, String upstream) {
    return with(Route.parse(path, upstream));
  }

  /** Proxies requests under {@code path} to {@code port} of the service whose handle {@link GantrySystem#add} returned. */
  public Site route(String path, ServiceRef service, int port) {
    return with(Route.to(path, service, port));
  }

  private Site with(Route route) {
    List<Route> r = new ArrayList<>(routes);
    r.add(route);
    return new Site(serverNames, r, tls);
  }

  /** Serves this site over HTTPS with the given certificate and key files. */
  public Site tls(String certificatePath, String keyPath) {
    return new Site(serverNames, routes, Optional.of(new Tls(certificatePath, keyPath)));
  }

  public boolean isDefault() {
    return serverNames.isEmpty();
  }

  /** For messages: the host names or "the default server". */
  public String label() {
    return isDefault() ? "the default server" : String.join(" ", serverNames);
  }
}

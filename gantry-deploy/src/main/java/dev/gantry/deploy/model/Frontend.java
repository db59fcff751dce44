package dev.gantry.deploy.model;

import dev.gantry.core.definition.DefinitionError;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The nginx front end of a system, run as a container beside the services, its
 * configuration generated from this model.
 *
 * <pre>{@code
 * Frontend.nginx().listen("0.0.0.0", 80, 443)
 *     .route("/", "app:8080")
 *     .site("admin.example.com", s -> s.route("/", "admin:9000").tls("/etc/ssl/a.crt", "/etc/ssl/a.key"));
 * Frontend.nginx().route("/", app, 8080);   // app: the handle GantrySystem.add returned
 * }</pre>
 *
 * @param image the nginx image (with its tag; releases do not change it)
 * @param user the worker user, which must exist in the image
 */
public record Frontend(String image, String bindAddress, int httpPort, int httpsPort, String user, List<Site> sites) {

  /** The compose service name of the front end. */
  public static final String SERVICE = "frontend";

  public Frontend {
    sites = List.copyOf(sites);
    Ports.check(httpPort, "front end http port");
    Ports.check(httpsPort, "front end https port");
    if (image == null || image.isBlank()) {
      throw new DefinitionError("the front end needs an nginx image");
    }
    if (user == null || !user.matches("[a-z_][a-z0-9_-]*")) {
      throw new DefinitionError("front end user '" + user + "' is not a user name");
    }
  }

  /** nginx from the official image, on loopback ports 80 and 443 until told otherwise. */
  public static Frontend nginx() {
    return new Frontend("nginx:1.27", "127.0.0.1", 80, 443, "nginx", List.of(Site.defaultServer()));
  }

  public Frontend image(String image) {
    return new Frontend(image, bindAddress, httpPort, httpsPort, user, sites);
  }

  public Frontend user(String user) {
    return new Frontend(image, bindAddress, httpPort, httpsPort, user, sites);
  }

  /** Publishes HTTP on {@code address:httpPort} (and HTTPS on {@code httpsPort} when a site has TLS). */
  public Frontend listen(String address, int httpPort, int httpsPort) {
    return new Frontend(image, address, httpPort, httpsPort, user, sites);
  }

  /** Publishes HTTP on loopback {@code httpPort}. */
  public Frontend listen(int httpPort) {
    return listen(bindAddress, httpPort, httpsPort);
  }

  /** Adds a route to the default server. */
  public Frontend route(String path, String upstream) {
    return onDefault(site -> site.route(path, upstream));
  }

  /** Adds a route to the default server, to {@code port} of the service whose handle {@link GantrySystem#add} returned. */
  public Frontend route(String path, ServiceRef service, int port) {
    return onDefault(site -> site.route(path, service, port));
  }

  private Frontend onDefault(UnaryOperator<Site> change) {
    List<Site> s = new ArrayList<>(sites);
    int i = indexOfDefault(s);
    s.set(i, change.apply(s.get(i)));
    return new Frontend(image, bindAddress, httpPort, httpsPort, user, s);
  }

  /** Adds a site for {@code hostName}, configured by {@code spec}. */
  public Frontend site(String hostName, UnaryOperator<Site> spec) {
    List<Site> s = new ArrayList<>(sites);
    s.add(spec.apply(Site.named(hostName)));
    return new Frontend(image, bindAddress, httpPort, httpsPort, user, s);
  }

  /** Whether any site serves HTTPS. */
  public boolean usesTls() {
    return sites.stream().anyMatch(s -> s.tls().isPresent());
  }

  /** Sites that have routes (an empty default server is left out). */
  public List<Site> activeSites() {
    return sites.stream().filter(s -> !s.routes().isEmpty()).toList();
  }

  private static int indexOfDefault(List<Site> s) {
    for (int i = 0; i < s.size(); i++) {
      if (s.get(i).isDefault()) {
        return i;
      }
    }
    s.add(Site.defaultServer());
    return s.size() - 1;
  }
}

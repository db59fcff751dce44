package dev.gantry.deploy.model;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.infra.Deployable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A containerized system: services and an optional nginx front end. Declared in the
 * infrastructure definition and run on hosts at a release.
 *
 * <pre>{@code
 * var app = i.add(GantrySystem.named("capital")
 *     .service("db", s -> s.image("capital/db").port(5432).volume("pgdata", "/var/lib/db"))
 *     .service("app", s -> s.image("capital/app").port(8080).dependsOn("db")
 *         .health(HealthCheck.http("/health")))
 *     .frontend(Frontend.nginx().route("/", "app:8080")));
 * i.host("prod").runs(app, "abc123f");
 * }</pre>
 *
 * <p>A service can also be named by its handle, which {@link #add} returns, so the compiler
 * checks the reference; a name in a string is checked by {@link SystemValidator} before a deploy:
 *
 * <pre>{@code
 * var capital = GantrySystem.named("capital");
 * var db = capital.add("db", s -> s.image("capital/db").port(5432));
 * var app = capital.add("app", s -> s.image("capital/app").port(8080).dependsOn(db));
 * i.add(capital.frontend(Frontend.nginx().route("/", app, 8080)));
 * }</pre>
 */
public final class GantrySystem implements Deployable {
  private final String name;
  private final List<Service> services = new ArrayList<>();
  private Frontend frontend;

  private GantrySystem(String name) {
    this.name = name;
  }

  /** A new system; the name becomes the compose project name (see {@link DockerNames}). */
  public static GantrySystem named(String name) {
    return new GantrySystem(DockerNames.require("system", name));
  }

  /** Adds a service configured by {@code spec}; {@link #add} does the same and returns its handle. */
  public GantrySystem service(String serviceName, Consumer<Service.Builder> spec) {
    add(serviceName, spec);
    return this;
  }

  /**
   * Adds a service configured by {@code spec} and returns its handle, for
   * {@link Service.Builder#dependsOn(ServiceRef...)} and {@link Frontend#route(String, ServiceRef, int)}.
   *
   * <pre>{@code
   * var db = capital.add("db", s -> s.image("capital/db").port(5432));
   * capital.add("app", s -> s.image("capital/app").port(8080).dependsOn(db));
   * }</pre>
   */
  public ServiceRef add(String serviceName, Consumer<Service.Builder> spec) {
    if (service(serviceName).isPresent()) {
      throw new DefinitionError("system '" + name + "': service '" + serviceName + "' is declared twice");
    }
    Service.Builder b = new Service.Builder(name, serviceName);
    spec.accept(b);
    services.add(b.build());
    return new ServiceRef(name, serviceName);
  }

  /** Puts an nginx front end before the services. */
  public GantrySystem frontend(Frontend f) {
    this.frontend = f;
    return this;
  }

  @Override
  public String name() {
    return name;
  }

  public List<Service> services() {
    return Collections.unmodifiableList(services);
  }

  public Optional<Service> service(String serviceName) {
    return services.stream().filter(s -> s.name().equals(serviceName)).findFirst();
  }

  public Optional<Frontend> frontend() {
    return Optional.ofNullable(frontend);
  }

  /** The named data volumes of all services, in first-use order. */
  public List<String> volumes() {
    return services.stream().flatMap(s -> s.volumes().stream()).map(VolumeMount::volume).distinct().toList();
  }

  @Override
  public String toString() {
    return "system " + name;
  }
}

package dev.gantry.deploy.model;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.Deployable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

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
 */
public final class GantrySystem implements Deployable {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  private final String name;
  private final List<Service> services = new ArrayList<>();
  private Frontend frontend;

  private GantrySystem(String name) {
    this.name = name;
  }

  /** A new system; the name becomes the compose project name, so lower case. */
  public static GantrySystem named(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new UserError("system name '" + name + "' must match " + NAME.pattern());
    }
    return new GantrySystem(name);
  }

  /** Adds a service configured by {@code spec}. */
  public GantrySystem service(String serviceName, Consumer<Service.Builder> spec) {
    if (service(serviceName).isPresent()) {
      throw new UserError("system '" + name + "': service '" + serviceName + "' is declared twice");
    }
    Service.Builder b = new Service.Builder(serviceName);
    spec.accept(b);
    services.add(b.build());
    return this;
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

package dev.gantry.deploy.model;

import dev.gantry.core.definition.DefinitionError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One service of a system: the image (tagged per release), ports, environment, data
 * volumes, dependencies, health check, restart policy and, for services that persist
 * events, the event-schema version, the event types that are harmless to lose, and the
 * command that lists the event types written since a time.
 *
 * <pre>{@code
 * GantrySystem.named("capital").service("app", s -> s.image("capital/app").port(8080)
 *     .dependsOn("db").volume("events", "/data/events").health(HealthCheck.http("/health"))
 *     .eventSchema(3).harmlessEvents("UserLoggedIn", "UserLoggedOut")
 *     .inspect("app-events --since \"$GANTRY_SINCE\""));
 * }</pre>
 *
 * @param image repository without tag (tagged with the release), or with a fixed tag
 * @param ports container ports other services and the front end reach
 * @param secrets environment variable name to vault key; values never enter the compose file
 * @param eventSchema the version of the persisted event schema, null for stateless services
 * @param inspect shell command run in the service's running container with {@code GANTRY_SINCE}
 *     (ISO-8601) and {@code GANTRY_SINCE_EPOCH} (seconds) set; prints the type of each event
 *     written since then, one per line
 * @param anonymizer shell command run in a one-off container of the service, with its
 *     volumes mounted, after data is cloned to another environment
 */
public record Service(
    String name,
    String image,
    List<Integer> ports,
    List<PublishedPort> published,
    Map<String, String> environment,
    Map<String, String> secrets,
    List<VolumeMount> volumes,
    List<String> dependsOn,
    Optional<HealthCheck> health,
    RestartPolicy restart,
    Integer eventSchema,
    Set<String> harmlessEvents,
    Optional<String> inspect,
    Optional<String> anonymizer,
    List<String> command,
    int replicas) {

  private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public Service {
    DockerNames.require("service", name);
    ports = List.copyOf(ports);
    published = List.copyOf(published);
    environment = Map.copyOf(environment);
    secrets = Map.copyOf(secrets);
    volumes = List.copyOf(volumes);
    dependsOn = List.copyOf(dependsOn);
    harmlessEvents = Set.copyOf(harmlessEvents);
    command = List.copyOf(command);
  }

  /** Whether the image names its own tag (then releases do not change it). */
  public boolean hasFixedTag() {
    int slash = image.lastIndexOf('/');
    return image.indexOf(':', slash + 1) >= 0 || image.contains("@");
  }

  /** The port a health check or route uses when none is named. */
  public Optional<Integer> firstPort() {
    return ports.isEmpty() ? Optional.empty() : Optional.of(ports.get(0));
  }

  /** The volumes two copies of the service must not share: all but the {@link Builder#sharedVolume shared} ones. */
  public List<VolumeMount> exclusiveVolumes() {
    return volumes.stream().filter(v -> !v.shared()).toList();
  }

  /** Whether this service persists events (declared an event-schema version). */
  public boolean persistsEvents() {
    return eventSchema != null;
  }

  /** Fluent builder used inside {@link GantrySystem#service}. */
  public static final class Builder {
    private final String system;
    private final String name;
    private String image;
    private final List<Integer> ports = new ArrayList<>();
    private final List<PublishedPort> published = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final List<VolumeMount> volumes = new ArrayList<>();
    private final List<String> dependsOn = new ArrayList<>();
    private HealthCheck health;
    private RestartPolicy restart = RestartPolicy.UNLESS_STOPPED;
    private Integer eventSchema;
    private final Set<String> harmless = new LinkedHashSet<>();
    private String inspect;
    private String anonymizer;
    private final List<String> command = new ArrayList<>();
    private int replicas = 1;

    Builder(String system, String name) {
      this.system = system;
      this.name = name;
    }

    /** The image repository, e.g. {@code capital/app}; a tag in it pins the version. */
    public Builder image(String image) {
      if (image == null || image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
        throw new DefinitionError("service '" + name + "': image '" + image + "' is not an image name");
      }
      this.image = image;
      return this;
    }

    /** Container ports reachable by other services and the front end. */
    public Builder port(int... containerPorts) {
      for (int p : containerPorts) {
        Ports.check(p, "service '" + name + "': port");
        ports.add(p);
      }
      return this;
    }

    /** Publishes {@code containerPort} on the host's loopback at {@code hostPort}. */
    public Builder publish(int hostPort, int containerPort) {
      return publish("127.0.0.1", hostPort, containerPort);
    }

    /** Publishes {@code containerPort} on {@code hostIp:hostPort} (e.g. {@code 0.0.0.0}). */
    public Builder publish(String hostIp, int hostPort, int containerPort) {
      published.add(new PublishedPort(hostIp, hostPort, containerPort));
      return this;
    }

    public Builder env(String key, String value) {
      checkEnvName(key);
      if (value == null) {
        throw new DefinitionError("service '" + name + "': environment variable " + key + " has no value");
      }
      env.put(key, value);
      return this;
    }

    /** Sets {@code envName} from the vault entry {@code vaultKey} at deploy time. */
    public Builder secret(String envName, String vaultKey) {
      checkEnvName(envName);
      if (vaultKey == null || vaultKey.isBlank()) {
        throw new DefinitionError("service '" + name + "': secret " + envName + " names no vault key");
      }
      secrets.put(envName, vaultKey);
      return this;
    }

    /**
     * Mounts the named data volume at {@code path}; volumes survive every deploy. Two copies of
     * the service must not share it, so a release recreates the service in place (it is down
     * while it restarts, which the plan says); see {@link #sharedVolume} for data that allows it.
     */
    public Builder volume(String volume, String path) {
      return mount(volume, path, false);
    }

    /**
     * Mounts the named data volume at {@code path} for a service whose code keeps it safe for
     * two copies at once: every write a single append ({@code O_APPEND}, one {@code write} per
     * record), every read from the files, no state held in memory that the other copy's writes
     * would make stale, no lock a second copy would wait on. A release then starts the new copy
     * beside the old one over the same volume and the front switches to it, with no request
     * lost. Gantry cannot check this: the service's authors vouch for it.
     *
     * <pre>{@code
     * .service("app", s -> s.image("capital/app").port(8080).sharedVolume("events", "/data/events"))
     * }</pre>
     */
    public Builder sharedVolume(String volume, String path) {
      return mount(volume, path, true);
    }

    private Builder mount(String volume, String path, boolean shared) {
      try {
        volumes.add(new VolumeMount(volume, path, shared));
      } catch (DefinitionError e) {
        throw new DefinitionError("service '" + name + "': " + e.getMessage());
      }
      return this;
    }

    /** Services that must be healthy before this one starts, by name. */
    public Builder dependsOn(String... services) {
      dependsOn.addAll(List.of(services));
      return this;
    }

    /** Services that must be healthy before this one starts, by the handles {@link GantrySystem#add} returned. */
    public Builder dependsOn(ServiceRef... services) {
      for (ServiceRef s : services) {
        if (s == null) {
          throw new DefinitionError("system '" + system + "': service '" + name + "' depends on null");
        }
        if (!s.system().equals(system)) {
          throw new DefinitionError("system '" + system + "': service '" + name + "' depends on " + s
              + "; a service depends only on services of its own system");
        }
        dependsOn.add(s.name());
      }
      return this;
    }

    public Builder health(HealthCheck check) {
      this.health = check;
      return this;
    }

    public Builder restart(RestartPolicy policy) {
      this.restart = policy;
      return this;
    }

    /** The version of the event schema this service persists. */
    public Builder eventSchema(int version) {
      if (version < 0) {
        throw new DefinitionError("service '" + name + "': event schema version " + version + " is negative");
      }
      this.eventSchema = version;
      return this;
    }

    /** Event types whose loss is harmless (a user simply logs in again). */
    public Builder harmlessEvents(String... types) {
      harmless.addAll(List.of(types));
      return this;
    }

    /** The command listing event types written since {@code $GANTRY_SINCE}, one per line. */
    public Builder inspect(String shellCommand) {
      this.inspect = requireCommand(shellCommand, "inspect");
      return this;
    }

    /** The command that anonymizes this service's data in a cloned environment. */
    public Builder anonymizer(String shellCommand) {
      this.anonymizer = requireCommand(shellCommand, "anonymizer");
      return this;
    }

    /** Overrides the image's command. */
    public Builder command(String... argv) {
      command.clear();
      command.addAll(List.of(argv));
      return this;
    }

    /** Replicas under Docker Swarm (compose runs one). */
    public Builder replicas(int n) {
      if (n < 1) {
        throw new DefinitionError("service '" + name + "': replicas must be at least 1, not " + n);
      }
      this.replicas = n;
      return this;
    }

    Service build() {
      if (image == null) {
        throw new DefinitionError("service '" + name + "' declares no image");
      }
      return new Service(name, image, ports, published, env, secrets, volumes, dependsOn,
          Optional.ofNullable(health), restart, eventSchema, harmless, Optional.ofNullable(inspect),
          Optional.ofNullable(anonymizer), command, replicas);
    }

    private void checkEnvName(String key) {
      if (key == null || !ENV.matcher(key).matches()) {
        throw new DefinitionError("service '" + name + "': '" + key + "' is not an environment variable name");
      }
    }

    private String requireCommand(String cmd, String what) {
      if (cmd == null || cmd.isBlank()) {
        throw new DefinitionError("service '" + name + "': the " + what + " command must not be empty");
      }
      return cmd;
    }
  }
}

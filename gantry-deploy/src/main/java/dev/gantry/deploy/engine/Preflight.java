package dev.gantry.deploy.engine;

import dev.gantry.core.UserError;
import dev.gantry.core.process.Background;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.deploy.docker.ContainerState;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.generate.ComposeGenerator;
import dev.gantry.deploy.generate.GeneratedFile;
import dev.gantry.deploy.generate.Labels;
import dev.gantry.deploy.generate.SystemFiles;
import dev.gantry.deploy.layout.Layout;
import dev.gantry.deploy.model.Frontend;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.PublishedPort;
import dev.gantry.deploy.model.Service;
import dev.gantry.deploy.model.Site;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.runtime.ContainerRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Checks before anything changes on a host: the engine answers (and is a swarm manager for
 * {@code --swarm}), every image is there, existing data volumes belong to this system,
 * host ports are free or this system's own, the generated compose (or stack) file passes
 * the runtime's own check, and the nginx configuration passes {@code nginx -t} in the
 * front-end image itself.
 */
final class Preflight {
  private Preflight() {}

  /** Service name to image reference, front end included. */
  static Map<String, String> images(GantrySystem system, Release release) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Service s : system.services()) {
      out.put(s.name(), release.image(s));
    }
    system.frontend().ifPresent(f -> out.put(Frontend.SERVICE, f.image()));
    return out;
  }

  /**
   * Every check a deploy makes before its first change; the dry run makes the same ones.
   * Each failure says what is wrong and that nothing was changed. The slower checks, the
   * runtime's own check of the generated file (mostly its start-up, half a second for
   * docker-compose) and {@code nginx -t}, may still run when this returns:
   * {@link Pending#await()} gives their verdict, and must be called before the first change.
   */
  static Pending run(GantrySystem system, Release release, Docker docker, ContainerRuntime runtime, Layout layout,
      List<GeneratedFile> files, Optional<String> running, SystemFolder folder, DeployOptions options,
      boolean frontUnchanged) {
    if (runtime.swarm()) {
      swarmPorts(system, options);
    }
    boolean firstTime = !docker.executor().exists(layout.dir());
    String staging = folder.stage(files);
    // a file of the same shape as the one that runs (only images differ) passed this check
    // already; otherwise the runtime's own check runs while the engine is asked the rest (it is
    // mostly docker-compose's start-up, half a second)
    String file = runtime.swarm() ? SystemFiles.STACK : SystemFiles.COMPOSE;
    Optional<Object> shape = files.stream().filter(f -> f.relativePath().equals(file)).findFirst()
        .flatMap(f -> ComposeGenerator.shape(f.content()));
    boolean checked = shape.isPresent() && running.flatMap(ComposeGenerator::shape).equals(shape);
    CompletableFuture<Void> composeCheck = checked ? CompletableFuture.completedFuture(null)
        : Background.run(() -> runtime.check(layout, staging));
    // the engine answers each question on its own: ask them all at once, report in this order
    CompletableFuture<Void> ready = Background.run(runtime::requireReady);
    CompletableFuture<List<ContainerState>> states = runtime.swarm() ? CompletableFuture.completedFuture(List.of())
        : Background.supply(() -> runtime.states(layout));
    CompletableFuture<Map<String, String>> images = Background.supply(() -> requireImages(system, release, docker));
    CompletableFuture<Set<String>> volumes = Background.supply(() -> volumes(system, docker, layout));
    CompletableFuture<Void> ports = Background.run(() -> ports(system, docker, layout));
    // nginx -t is slower (a docker exec, or a container of its own): like the compose check, it
    // may still run while the lock is taken and the backup made
    CompletableFuture<Void> nginx = states.thenAcceptAsync(now -> system.frontend().ifPresent(f ->
        checkNginx(f, docker, folder, staging + "/" + SystemFiles.NGINX, frontUnchanged ? now : List.of())),
        Background.executor());
    Pending pending = new Pending(List.of(composeCheck, nginx), () -> folder.discard(firstTime ? layout.dir() : staging));
    try {
      CompletableFuture<Void> all = CompletableFuture.allOf(ready, states, images, volumes, ports);
      all.exceptionally(e -> null).join();
      if (all.isCompletedExceptionally()) {
        docker.requireEngine(); // an engine that does not answer is the first thing to say
      }
      result(ready);
      pending.states = result(states);
      pending.identities = result(images);
      pending.existingVolumes = result(volumes);
      result(ports);
      return pending;
    } catch (RuntimeException e) {
      pending.close();
      throw e;
    }
  }

  /** The value of a finished check, or what it threw. */
  private static <T> T result(CompletableFuture<T> check) {
    try {
      return check.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /**
   * A check still running; the staged files it reads are removed once it is done.
   *
   * <pre>{@code
   * try (Preflight.Pending checks = Preflight.run(...)) {
   *   takeBackup();      // changes nothing that runs
   *   checks.await();    // throws what the check found, before the first change
   * }
   * }</pre>
   */
  static final class Pending implements AutoCloseable {
    private final List<CompletableFuture<Void>> checks;
    private final Runnable cleanup;
    private boolean closed;
    private List<ContainerState> states = List.of();
    private Map<String, String> identities = Map.of();
    private Set<String> existingVolumes = Set.of();

    private Pending(List<CompletableFuture<Void>> checks, Runnable cleanup) {
      this.checks = List.copyOf(checks);
      this.cleanup = cleanup;
    }

    /** The system's containers as they were when checked (none under swarm). */
    List<ContainerState> states() {
      return states;
    }

    /** Each image reference to its identity (digest or image id) as checked, for the ledger. */
    Map<String, String> identities() {
      return identities;
    }

    /** The system's data volumes (their Docker names) that existed when checked. */
    Set<String> existingVolumes() {
      return existingVolumes;
    }

    /** Waits for the checks; throws what the first of them found. */
    void await() {
      try {
        checks.forEach(Preflight::result);
      } finally {
        close();
      }
    }

    /** Waits for the checks whatever they find and removes the staged files. */
    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        // the staged files stay until the checks are done with them
        checks.forEach(c -> c.exceptionally(e -> null).join());
        cleanup.run();
      }
    }
  }

  /**
   * Each image reference to its identity. An image missing on the host whose reference names
   * a registry is pulled there first (also in a dry run: that is how its presence in the
   * registry is checked; a pull changes no container or volume); refuses when one is still
   * missing.
   */
  private static Map<String, String> requireImages(GantrySystem system, Release release, Docker docker) {
    Map<String, String> images = images(system, release);
    Optional<Map<String, String>> found = docker.imageIdentities(images.values());
    if (found.isPresent()) { // one call in the usual case, then find which are missing
      return found.get();
    }
    List<String> missing = new ArrayList<>();
    boolean pulled = false;
    for (Map.Entry<String, String> e : images.entrySet()) {
      String img = e.getValue();
      if (docker.imageExists(img)) {
        continue;
      }
      if (Docker.namesRegistry(img)) {
        ProcessResult r = docker.pull(img);
        pulled |= r.ok();
        if (!r.ok()) {
          missing.add(img + " (service " + e.getKey() + "; pulling it failed: " + r.tail() + ")");
        }
      } else {
        missing.add(img + " (service " + e.getKey() + ")");
      }
    }
    if (missing.isEmpty() && pulled) {
      found = docker.imageIdentities(images.values());
      if (found.isPresent()) {
        return found.get();
      }
    }
    throw new UserError("system '" + system.name() + "' release " + release.label() + ": image(s) missing on "
        + docker.executor().name() + ": " + (missing.isEmpty() ? String.join(", ", images.values()) + " (one of them)"
            : String.join(", ", missing)) + "; build or pull them there first (nothing was changed)");
  }

  /** Every host port the system publishes: the front's and the services' own. */
  static List<PublishedPort> published(GantrySystem system) {
    List<PublishedPort> out = new ArrayList<>();
    system.frontend().ifPresent(f -> {
      out.add(new PublishedPort(f.bindAddress(), f.httpPort(), 80));
      if (f.usesTls()) {
        out.add(new PublishedPort(f.bindAddress(), f.httpsPort(), 443));
      }
    });
    system.services().forEach(s -> out.addAll(s.published()));
    return out;
  }

  /**
   * A data volume that exists must be this system's: another system's data is never mounted.
   * Returns the Docker names of those that exist.
   */
  private static Set<String> volumes(GantrySystem system, Docker docker, Layout layout) {
    List<String> problems = new ArrayList<>();
    Set<String> existing = new HashSet<>();
    for (String v : system.volumes()) {
      String name = layout.volumeName(v);
      docker.inspect("volume", name).ifPresent(vol -> {
        existing.add(name);
        String owner = vol.path("Labels").path(Labels.SYSTEM).asText("");
        String declared = vol.path("Labels").path(Labels.VOLUME).asText("");
        if ((!owner.isEmpty() && !owner.equals(system.name())) || (!declared.isEmpty() && !declared.equals(v))) {
          problems.add("volume " + name + " exists but holds " + (owner.isEmpty() ? "another system's" : "system '" + owner + "'")
              + " volume '" + declared + "', not " + system.name() + "'s '" + v + "'");
        }
      });
    }
    if (!problems.isEmpty()) {
      throw new UserError("refusing to deploy " + system.name() + " as project " + layout.project() + " (nothing was changed): "
          + String.join("; ", problems));
    }
    return existing;
  }

  /** Host ports must be free, or held by this same system. */
  private static void ports(GantrySystem system, Docker docker, Layout layout) {
    List<PublishedPort> wanted = published(system);
    if (wanted.isEmpty()) {
      return;
    }
    List<Docker.PublishedBinding> bound = docker.publishedPorts();
    Set<Integer> ours = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (Docker.PublishedBinding b : bound) {
      if (b.project().equals(layout.project())) {
        ours.add(b.port());
      }
    }
    for (PublishedPort p : wanted) {
      for (Docker.PublishedBinding b : bound) {
        if (b.port() == p.hostPort() && !b.project().equals(layout.project()) && overlaps(b.address(), p.hostIp())) {
          problems.add("port " + p.hostIp() + ":" + p.hostPort() + " is published by container " + b.container()
              + (b.project().isEmpty() ? "" : " of " + b.project()));
        }
      }
    }
    if (problems.isEmpty()) {
      String sockets = socketTable(docker);
      for (PublishedPort p : wanted) {
        if (!ours.contains(p.hostPort()) && listening(sockets, p)) {
          problems.add("port " + p.hostIp() + ":" + p.hostPort() + " is in use on " + docker.executor().name()
              + " by a process outside Docker");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new UserError("refusing to deploy " + system.name() + " as project " + layout.project()
          + " (nothing was changed): " + String.join("; ", problems)
          + "; choose other ports in the definition or stop what holds them");
    }
  }

  private static boolean overlaps(String a, String b) {
    return a.equals(b) || a.equals("0.0.0.0") || b.equals("0.0.0.0");
  }

  /** The host's TCP sockets as the kernel lists them; empty where there is no /proc (Docker's own check still refuses a taken port). */
  private static String socketTable(Docker docker) {
    return docker.executor().run(Duration.ofSeconds(30), "cat", "/proc/net/tcp", "/proc/net/tcp6").stdout();
  }

  /** Whether a socket listens on the port at an overlapping address, in the kernel's table. */
  private static boolean listening(String sockets, PublishedPort p) {
    String portHex = String.format("%04X", p.hostPort());
    for (String line : sockets.lines().toList()) {
      String[] f = line.strip().split("\\s+");
      if (f.length < 4 || !f[3].equals("0A") || !f[1].endsWith(":" + portHex)) {
        continue; // 0A is LISTEN
      }
      String addr = f[1].substring(0, f[1].indexOf(':'));
      if (addr.length() == 32) { // IPv6: any address blocks every IPv4 bind too
        if (addr.equals("0".repeat(32))) {
          return true;
        }
        continue;
      }
      String ip = ipv4(addr);
      if (overlaps(ip, p.hostIp())) {
        return true;
      }
    }
    return false;
  }

  /** The kernel writes an IPv4 address as 8 hex digits in host (little-endian) order. */
  private static String ipv4(String hex) {
    long v = Long.parseLong(hex, 16);
    return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
  }

  /**
   * Swarm publishes in host mode on every interface of the node: it cannot bind one address.
   * A port the definition keeps on loopback would become public, so that needs consent.
   */
  private static void swarmPorts(GantrySystem system, DeployOptions options) {
    List<String> loopback = published(system).stream().filter(p -> p.hostIp().startsWith("127.") || p.hostIp().equals("::1"))
        .map(p -> p.hostIp() + ":" + p.hostPort()).toList();
    if (!loopback.isEmpty() && !options.publicPortsUnderSwarm()) {
      throw new UserError("system '" + system.name() + "' publishes " + String.join(", ", loopback)
          + " on loopback, but Docker Swarm cannot bind one address: it would publish on every interface of the node. "
          + "Firewall those ports and pass --public-ports to accept, or deploy with compose (nothing was changed)");
    }
  }

  /**
   * {@code nginx -t} on the new configuration: in the running front when its container stays
   * as it is (quick, and with the very image and mounts that will read it), else in a throwaway container of
   * the image without a network. {@code containers} are the system's when its front stays, else none.
   */
  private static void checkNginx(Frontend f, Docker docker, SystemFolder folder, String conf,
      List<ContainerState> containers) {
    Optional<ContainerState> front = containers.stream()
        .filter(c -> c.running() && c.service().equals(Frontend.SERVICE) && c.image().equals(f.image())).findFirst();
    ProcessResult r;
    if (front.isPresent()) {
      String name = folder.stageFront(folder.read(SystemFiles.NGINX).isPresent() ? conf : null);
      if (name != null) {
        try {
          r = docker.execShell(front.get().id(), "nginx -t -q -c " + ComposeGenerator.FRONT_DIR_IN_CONTAINER + "/" + name
              + " 2>&1", Map.of(), Duration.ofSeconds(60));
        } finally {
          folder.discardFront(name);
        }
        requireValid(f, r);
        return;
      }
    }
    List<String> argv = new ArrayList<>(List.of("docker", "run", "--rm", "--network", "none", "--entrypoint", "nginx",
        "-v", conf + ":/etc/nginx/nginx.conf:ro"));
    for (Site s : f.sites()) {
      s.tls().ifPresent(t -> {
        argv.addAll(List.of("-v", t.certificate() + ":" + t.certificate() + ":ro"));
        argv.addAll(List.of("-v", t.key() + ":" + t.key() + ":ro"));
      });
    }
    argv.addAll(List.of(f.image(), "-t", "-c", "/etc/nginx/nginx.conf"));
    requireValid(f, docker.executor().run(Duration.ofSeconds(60), argv));
  }

  private static void requireValid(Frontend f, ProcessResult r) {
    if (!r.ok()) {
      throw new UserError("the generated nginx configuration fails `nginx -t` in " + f.image() + " (nothing was changed):\n"
          + r.tail());
    }
  }
}

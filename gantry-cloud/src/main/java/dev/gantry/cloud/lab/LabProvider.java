package dev.gantry.cloud.lab;

import dev.gantry.cloud.provider.Machine;
import dev.gantry.cloud.provider.Provider;
import dev.gantry.cloud.provision.LabProvisioning;
import dev.gantry.cloud.ssh.SshProbe;
import dev.gantry.core.UserError;
import dev.gantry.core.infra.HostSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lab machines on this machine, each as real as a droplet to SSH and to host properties: a
 * network namespace reached through a veth pair ({@code 10.213.n.2}, see {@link LabAddressing}),
 * an overlay of a Debian root filesystem shared by all machines, and systemd booted as its PID 1
 * by {@code systemd-nspawn} (see {@link Nspawn}), with sshd as a unit, fresh host keys, the
 * user's key authorized, apt through the package cache on this machine and Docker able to run
 * inside. Each machine runs in cgroups of its own ({@link MachineCgroups}). Needs root.
 *
 * <pre>{@code
 * Provider lab = new LabProvider(Path.of("gantry-data"), lab());
 * Machine m = lab.create(i.requireHost("try1"), System.out::println);   // then ssh root@10.213.1.2
 * lab.destroy("try1", System.out::println);   // no process, mount, cgroup or namespace left
 * }</pre>
 */
public final class LabProvider implements Provider {
  private static final Logger LOG = LoggerFactory.getLogger(LabProvider.class);
  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);

  private final LabStore store;
  private final LabSystem system = new LabSystem();
  private final BaseRootfs rootfs;
  private final LabProvisioning spec;
  private final SshProbe probe = new SshProbe();
  private final Map<String, String> env;

  public LabProvider(Path dataDir, LabProvisioning spec) {
    this(dataDir, spec, System.getenv());
  }

  public LabProvider(Path dataDir, LabProvisioning spec, Map<String, String> env) {
    this.store = new LabStore(dataDir.toAbsolutePath());
    this.rootfs = new BaseRootfs(dataDir.toAbsolutePath(), env);
    this.spec = spec;
    this.env = env;
  }

  @Override
  public String kind() {
    return "lab";
  }

  @Override
  public Optional<Machine> find(String name) {
    return store.find(name).map(this::machine);
  }

  /** Every recorded lab host. */
  public List<Machine> list() {
    return store.all().stream().map(this::machine).toList();
  }

  @Override
  public Machine create(HostSpec host, Consumer<String> progress) {
    requireRoot();
    requireNspawn();
    String publicKey = authorizedKey(host.name());
    Path base = rootfs.resolve(spec.rootfs(), progress);
    AutoCloseable lock = store.lock();
    try {
      if (store.find(host.name()).isPresent()) {
        throw new UserError("lab host '" + host.name() + "' exists already; `gantry cloud down " + host.name()
            + "` removes it");
      }
      String ns = LabAddressing.namespace(host.name());
      if (system.namespaceExists(ns)) {
        throw new UserError("the network namespace '" + ns + "' for lab host '" + host.name() + "' exists already "
            + "but Gantry has no record of it; remove it with `ip netns delete " + ns + "` if nothing needs it");
      }
      Path dir = store.hostDir(host.name());
      if (Files.exists(dir)) {
        throw new UserError("the lab directory " + dir + " exists without a record; remove it first");
      }
      Set<Integer> used = new HashSet<>(system.indexesInUse());
      store.all().forEach(h -> used.add(h.index()));
      int index = LabAddressing.allocate(used);
      List<String> cgroups = MachineCgroups.forMachine(LabAddressing.slug(host.name())).stream().map(Path::toString).toList();
      LabHost h = new LabHost(host.name(), index, ns, LabAddressing.hostVeth(index), LabAddressing.hostAddress(index),
          LabAddressing.labAddress(index), host.sshPort(), host.user(), dir.toString(), base.toString(), cgroups,
          Instant.now().toString());
      build(h, publicKey, progress);
      return machine(h);
    } catch (UserError e) {
      throw e;
    } catch (Exception e) {
      throw new UserError("creating lab host '" + host.name() + "' failed: " + e.getMessage(), e);
    } finally {
      release(lock);
    }
  }

  private static void release(AutoCloseable lock) {
    try {
      lock.close();
    } catch (Exception e) {
      LOG.warn("releasing the lab lock: {}", e.getMessage());
    }
  }

  private void build(LabHost h, String publicKey, Consumer<String> progress) throws IOException {
    if (system.linkExists(h.hostVeth())) {
      throw new UserError("the interface " + h.hostVeth() + " exists already; remove it with `ip link delete "
          + h.hostVeth() + "`");
    }
    Deque<Runnable> undo = new ArrayDeque<>();
    try {
      progress.accept("lab machine " + h.name() + ": root filesystem (overlay of " + h.lower() + ")");
      Files.createDirectories(h.upper());
      Files.createDirectories(h.work());
      Files.createDirectories(h.root());
      undo.push(() -> system.removeTree(h.dirPath()));
      system.mountOverlay(Path.of(h.lower()), h.upper(), h.work(), h.root());
      undo.push(() -> system.unmountAll(h.dirPath()));
      progress.accept("lab machine " + h.name() + ": network namespace " + h.namespace() + " at " + h.address());
      undo.push(() -> {
        system.deleteNetwork(h);
        system.removeRoutingIfUnused();
      });
      system.createNetwork(h, h.index());
      MachineConfig.write(h, publicKey);
      MachineCgroups.create(h.cgroupPaths());
      undo.push(() -> stop(h));
      progress.accept("lab machine " + h.name() + ": booting systemd (systemd-nspawn)");
      Nspawn.start(h, LabAddressing.slug(h.name()), h.cgroupPaths());
      awaitBoot(h, BOOT_TIMEOUT);
      store.save(h);
      progress.accept("lab machine " + h.name() + ": sshd answers on " + h.address() + ":" + h.sshPort());
    } catch (RuntimeException | IOException e) {
      progress.accept("lab machine " + h.name() + " could not be made; removing what was made");
      while (!undo.isEmpty()) {
        try {
          undo.pop().run();
        } catch (RuntimeException cleanup) {
          LOG.warn("cleaning up lab machine {}: {}", h.name(), cleanup.getMessage());
        }
      }
      throw e;
    }
  }

  /** Until sshd answers; fails with nspawn's own words when the machine stops booting. */
  private void awaitBoot(LabHost h, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 0; i < 100 && !Files.exists(h.pidFile()); i++) {
      pause(50);
    }
    while (probe.banner(h.address(), h.sshPort(), Duration.ofSeconds(1)).isEmpty()) {
      if (!machineAlive(h)) {
        throw new UserError("lab machine '" + h.name() + "' stopped while booting; systemd-nspawn said: "
            + consoleTail(h));
      }
      if (System.nanoTime() > deadline) {
        throw new UserError("lab machine '" + h.name() + "': sshd did not answer on " + h.address() + ":" + h.sshPort()
            + " within " + timeout.toSeconds() + " s of booting; the console said: " + consoleTail(h));
      }
      pause(100);
    }
  }

  private static String consoleTail(LabHost h) {
    try {
      List<String> lines = Files.readAllLines(h.consoleLog());
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size())).strip();
    } catch (IOException e) {
      return "(no " + h.consoleLog() + ")";
    }
  }

  private boolean machineAlive(LabHost h) {
    return !MachineCgroups.pids(h.cgroupPaths()).isEmpty();
  }

  @Override
  public Machine awaitSsh(Machine machine, int port, Duration timeout, Consumer<String> progress) {
    LabHost h = store.find(machine.name()).orElseThrow(() -> new UserError("lab host '" + machine.name() + "' is not recorded"));
    if (!machineAlive(h)) {
      throw new UserError("lab machine '" + h.name() + "' is recorded but not running (was this machine restarted?); "
          + "`gantry cloud down " + h.name() + " --yes` then `gantry cloud up " + h.name() + "` makes it again");
    }
    long start = System.nanoTime();
    probe.await(h.address(), h.sshPort(), timeout, progress);
    String state = MachineState.awaitBooted(h, timeout.minusNanos(System.nanoTime() - start));
    progress.accept("lab machine " + h.name() + ": systemd " + state);
    return machine(h);
  }

  /**
   * Ends every process of the machine (systemd, sshd, the Docker inside and its containers) at
   * once: the machine is being thrown away, so nothing is shut down gracefully.
   */
  private void stop(LabHost h) {
    List<Path> cgroups = h.cgroupPaths();
    for (int round = 0; round < 100 && !MachineCgroups.pids(cgroups).isEmpty(); round++) {
      MachineCgroups.pids(cgroups).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      pause(50);
    }
    if (!MachineCgroups.pids(cgroups).isEmpty()) {
      throw new UserError("lab machine '" + h.name() + "': processes " + MachineCgroups.pids(cgroups)
          + " did not end after SIGKILL");
    }
    system.killAll(h.namespace());
    system.removeNspawnState(LabAddressing.slug(h.name()), h.root());
    MachineCgroups.remove(cgroups);
  }

  @Override
  public boolean destroy(String name, Consumer<String> progress) {
    requireRoot();
    AutoCloseable lock = store.lock();
    try {
      Optional<LabHost> found = store.find(name);
      if (found.isEmpty()) {
        return false;
      }
      LabHost h = found.get();
      progress.accept("lab machine " + name + ": stopping it, unmounting, removing " + h.namespace() + " and its cgroups");
      stop(h);
      system.unmountAll(h.dirPath());
      system.deleteNetwork(h);
      system.removeRoutingIfUnused();
      if (!system.mountsUnder(h.dirPath()).isEmpty()) {
        throw new UserError("lab host '" + name + "': " + system.mountsUnder(h.dirPath()) + " are still mounted; "
            + "its directory " + h.dir() + " was kept");
      }
      system.removeTree(h.dirPath());
      return true;
    } catch (UserError e) {
      throw e;
    } catch (Exception e) {
      throw new UserError("removing lab host '" + name + "' failed: " + e.getMessage(), e);
    } finally {
      release(lock);
    }
  }

  private Machine machine(LabHost h) {
    String status = machineAlive(h) ? "running" : "stopped";
    return new Machine(h.name(), kind(), h.namespace(), Optional.of(h.address()), status);
  }

  private String authorizedKey(String host) {
    if (spec.authorizedKey().isPresent()) {
      Path p = spec.authorizedKey().get();
      return readKey(p, "host '" + host + "': lab().authorizedKey(" + p + ")");
    }
    Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
    for (String f : List.of("id_ed25519.pub", "id_ecdsa.pub", "id_rsa.pub")) {
      Path p = home.resolve(".ssh").resolve(f);
      if (Files.isRegularFile(p)) {
        return readKey(p, p.toString());
      }
    }
    throw new UserError("lab host '" + host + "' needs a public key to authorize: none in " + home.resolve(".ssh")
        + "; make one with `ssh-keygen -t ed25519` or give lab().authorizedKey(path)");
  }

  private static String readKey(Path p, String where) {
    try {
      String key = Files.readString(p).strip();
      if (!key.matches("(ssh-(ed25519|rsa)|ecdsa-sha2-nistp\\d+|sk-\\S+) [A-Za-z0-9+/=]+( .*)?") || key.contains("\n")) {
        throw new UserError(where + ": " + p + " is not one OpenSSH public key line");
      }
      return key;
    } catch (IOException e) {
      throw new UserError(where + ": cannot read " + p + ": " + e.getMessage());
    }
  }

  private static void requireNspawn() {
    if (Exec.attempt(Duration.ofSeconds(10), List.of("sh", "-c", "command -v systemd-nspawn")).exitCode() != 0) {
      throw new UserError("lab machines boot with systemd-nspawn, which is not installed here "
          + "(apt-get install systemd-container)");
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while waiting for a lab machine");
    }
  }

  private static void requireRoot() {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new UserError("lab hosts need root (network namespaces and mounts); run gantry as root");
    }
  }
}

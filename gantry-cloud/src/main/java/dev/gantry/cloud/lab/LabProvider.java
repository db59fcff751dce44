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
import java.nio.file.attribute.PosixFilePermissions;
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
 * Lab hosts on this machine, each as real as a droplet to SSH: a network namespace reached
 * through a veth pair ({@code 10.213.n.2}, see {@link LabAddressing}), an overlay of a Debian
 * root filesystem, and its own {@code sshd} started in a chroot inside the namespace with
 * fresh host keys and the user's key authorized. Needs root.
 *
 * <pre>{@code
 * Provider lab = new LabProvider(Path.of("gantry-data"), lab());
 * Machine m = lab.create(i.requireHost("try1"), System.out::println);   // then ssh root@10.213.1.2
 * lab.destroy("try1", System.out::println);                             // no namespace, mount or process left
 * }</pre>
 */
public final class LabProvider implements Provider {
  private static final Logger LOG = LoggerFactory.getLogger(LabProvider.class);

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
      LabHost h = new LabHost(host.name(), index, ns, LabAddressing.hostVeth(index), LabAddressing.hostAddress(index),
          LabAddressing.labAddress(index), host.sshPort(), host.user(), dir.toString(), base.toString(),
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
      progress.accept("lab host " + h.name() + ": root filesystem (overlay of " + h.lower() + ")");
      Files.createDirectories(h.upper());
      Files.createDirectories(h.work());
      Files.createDirectories(h.root());
      undo.push(() -> system.removeTree(h.dirPath()));
      system.mountOverlay(Path.of(h.lower()), h.upper(), h.work(), h.root());
      undo.push(() -> system.unmountAll(h.root()));
      system.mountProc(h.root().resolve("proc"));
      Files.createDirectories(h.root().resolve("dev/pts"));
      system.mountDevpts(h.root().resolve("dev/pts"));
      progress.accept("lab host " + h.name() + ": network namespace " + h.namespace() + " at " + h.address());
      undo.push(() -> system.deleteNetwork(h));
      system.createNetwork(h, h.index());
      configure(h, publicKey);
      undo.push(() -> system.killAll(h.namespace()));
      startSshd(h);
      store.save(h);
      progress.accept("lab host " + h.name() + ": sshd started on " + h.address() + ":" + h.sshPort());
    } catch (RuntimeException | IOException e) {
      progress.accept("lab host " + h.name() + " could not be made; removing what was made");
      while (!undo.isEmpty()) {
        try {
          undo.pop().run();
        } catch (RuntimeException cleanup) {
          LOG.warn("cleaning up lab host {}: {}", h.name(), cleanup.getMessage());
        }
      }
      throw e;
    }
  }

  /** Host name, host keys, the authorized key, the user, and sshd's settings in the overlay. */
  private void configure(LabHost h, String publicKey) throws IOException {
    Path root = h.root();
    Files.writeString(root.resolve("etc/hostname"), h.name() + "\n");
    Files.writeString(root.resolve("etc/hosts"), "127.0.0.1 localhost\n" + h.address() + " " + h.name() + "\n");
    Exec.run("sh", "-c", "rm -f '" + root + "'/etc/ssh/ssh_host_*");
    Exec.run("chroot", root.toString(), "ssh-keygen", "-A");
    authorize(root, "root", "/root", publicKey);
    if (!h.user().equals("root")) {
      String u = h.user();
      if (!u.matches("[a-z_][a-z0-9_-]{0,31}")) {
        throw new UserError("host '" + h.name() + "': '" + u + "' is not a valid user name for the lab");
      }
      Exec.run("chroot", root.toString(), "useradd", "--create-home", "--shell", "/bin/bash", u);
      // no password, but not locked: sshd refuses keys for locked accounts
      Exec.run("chroot", root.toString(), "usermod", "-p", "*", u);
      Files.writeString(root.resolve("etc/sudoers.d/gantry-" + u), u + " ALL=(ALL) NOPASSWD:ALL\n");
      Files.setPosixFilePermissions(root.resolve("etc/sudoers.d/gantry-" + u), PosixFilePermissions.fromString("r--r-----"));
      authorize(root, u, "/home/" + u, publicKey);
    }
    Files.createDirectories(root.resolve("run/sshd"));
    Files.writeString(root.resolve("etc/ssh/sshd_config.d/00-gantry-lab.conf"), String.join("\n",
        "# written by gantry cloud for the lab host " + h.name(),
        "ListenAddress " + h.address() + ":" + h.sshPort(),
        "PermitRootLogin prohibit-password",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        // no login session services exist in a chroot; keys are checked by sshd itself
        "UsePAM no",
        "PidFile /run/sshd.pid",
        ""));
  }

  private static void authorize(Path root, String user, String home, String publicKey) throws IOException {
    Path ssh = root.resolve(home.substring(1)).resolve(".ssh");
    Files.createDirectories(ssh);
    Files.writeString(ssh.resolve("authorized_keys"), publicKey.strip() + "\n");
    Exec.run("chroot", root.toString(), "sh", "-c",
        "chown -R " + user + ": " + home + "/.ssh && chmod 700 " + home + "/.ssh && chmod 600 " + home + "/.ssh/authorized_keys");
  }

  /** sshd in the namespace, chrooted, with the host's own name (a UTS namespace of its own). */
  private void startSshd(LabHost h) {
    Exec.run(Duration.ofSeconds(30), "ip", "netns", "exec", h.namespace(), "unshare", "--uts", "chroot", h.root().toString(),
        "/bin/sh", "-c", "hostname \"$0\" && exec /usr/sbin/sshd", h.name());
    probe.await(h.address(), h.sshPort(), Duration.ofSeconds(15), line -> { });
  }

  @Override
  public Machine awaitSsh(Machine machine, int port, Duration timeout, Consumer<String> progress) {
    LabHost h = store.find(machine.name()).orElseThrow(() -> new UserError("lab host '" + machine.name() + "' is not recorded"));
    if (system.pids(h.namespace()).isEmpty()) {
      throw new UserError("lab host '" + h.name() + "' is recorded but not running (was this machine restarted?); "
          + "`gantry cloud down " + h.name() + " --yes` then `gantry cloud up " + h.name() + "` makes it again");
    }
    probe.await(h.address(), h.sshPort(), timeout, progress);
    return machine(h);
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
      progress.accept("lab host " + name + ": stopping its processes, unmounting, removing " + h.namespace());
      system.killAll(h.namespace());
      system.unmountAll(h.dirPath());
      system.deleteNetwork(h);
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
    String status = system.pids(h.namespace()).isEmpty() ? "stopped" : "running";
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

  private static void requireRoot() {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new UserError("lab hosts need root (network namespaces and mounts); run gantry as root");
    }
  }
}

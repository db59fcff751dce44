package dev.gantry.cloud.lab;

import dev.gantry.core.process.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The kernel objects a lab host is made of, through the system's own tools: network
 * namespaces and veth pairs ({@code ip}), mounts ({@code mount}, {@code umount}) and the
 * processes living in a namespace.
 */
final class LabSystem {
  boolean namespaceExists(String ns) {
    return Files.exists(Path.of("/run/netns", ns));
  }

  boolean linkExists(String name) {
    return Files.exists(Path.of("/sys/class/net", name));
  }

  /** Indexes of the lab range already bound to an interface on this machine. */
  Set<Integer> indexesInUse() {
    Set<Integer> used = new HashSet<>();
    for (String line : Exec.run("ip", "-o", "-4", "addr", "show").split("\n")) {
      String[] f = line.trim().split("\\s+");
      for (int i = 0; i + 1 < f.length; i++) {
        if (f[i].equals("inet")) {
          int idx = LabAddressing.indexOf(f[i + 1].split("/")[0]);
          if (idx > 0) {
            used.add(idx);
          }
        }
      }
    }
    return used;
  }

  void createNetwork(LabHost h, int index) {
    String peer = LabAddressing.peerVeth(index);
    Exec.run("ip", "netns", "add", h.namespace());
    Exec.run("ip", "link", "add", h.hostVeth(), "type", "veth", "peer", "name", peer);
    Exec.run("ip", "link", "set", peer, "netns", h.namespace());
    Exec.run("ip", "-n", h.namespace(), "link", "set", peer, "name", "eth0");
    Exec.run("ip", "-n", h.namespace(), "addr", "add", h.address() + "/30", "dev", "eth0");
    Exec.run("ip", "-n", h.namespace(), "link", "set", "eth0", "up");
    Exec.run("ip", "-n", h.namespace(), "link", "set", "lo", "up");
    Exec.run("ip", "addr", "add", h.hostAddress() + "/30", "dev", h.hostVeth());
    Exec.run("ip", "link", "set", h.hostVeth(), "up");
    routeBetweenMachines(h);
  }

  /**
   * Lab machines reach each other through this machine (CI deploying to staging, collectd
   * reporting to the monitor's machine, a swarm of two), and nothing beyond it: the machine's
   * only route is the lab range via this machine's end of its pair; forwarding is switched on
   * for the lab's own interfaces only (not this machine's {@code ip_forward}); and the firewall
   * accepts what goes from one lab interface to another and drops what a lab machine would send
   * anywhere else (a machine adding a default route of its own included).
   */
  private void routeBetweenMachines(LabHost h) {
    Exec.run("ip", "-n", h.namespace(), "route", "add", LabAddressing.RANGE, "via", h.hostAddress());
    try {
      Files.writeString(Path.of("/proc/sys/net/ipv4/conf", h.hostVeth(), "forwarding"), "1");
    } catch (IOException e) {
      throw new UncheckedIOException("switching on forwarding for " + h.hostVeth(), e);
    }
    if (iptables()) {
      // inserted at the top in this order, so accepting comes first
      for (List<String> rule : List.of(FORWARD_BEYOND, FORWARD_BETWEEN)) {
        if (!Exec.attempt(Duration.ofSeconds(10), iptables("-C", rule)).ok()) {
          Exec.run(iptables("-I", rule).toArray(String[]::new));
        }
      }
    }
  }

  /** Removes the firewall rules of {@link #routeBetweenMachines} once no lab interface is left. */
  void removeRoutingIfUnused() {
    try (var links = Files.list(Path.of("/sys/class/net"))) {
      if (links.anyMatch(l -> l.getFileName().toString().startsWith(LabAddressing.VETH_PREFIX)) || !iptables()) {
        return;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (List<String> rule : List.of(FORWARD_BETWEEN, FORWARD_BEYOND)) {
      while (Exec.attempt(Duration.ofSeconds(10), iptables("-C", rule)).ok()) {
        Exec.run(iptables("-D", rule).toArray(String[]::new));
      }
    }
  }

  private static final String LAB_LINKS = LabAddressing.VETH_PREFIX + "+";
  private static final List<String> FORWARD_BETWEEN = List.of("-i", LAB_LINKS, "-o", LAB_LINKS, "-j", "ACCEPT");
  private static final List<String> FORWARD_BEYOND = List.of("-i", LAB_LINKS, "!", "-o", LAB_LINKS, "-j", "DROP");

  private static boolean iptables() {
    return Files.isExecutable(Path.of("/usr/sbin/iptables")) || Files.isExecutable(Path.of("/sbin/iptables"));
  }

  private static List<String> iptables(String op, List<String> rule) {
    List<String> cmd = new ArrayList<>(List.of("iptables", "-w", op, "FORWARD"));
    if (op.equals("-I")) {
      cmd.add("1");
    }
    cmd.addAll(rule);
    return cmd;
  }

  void deleteNetwork(LabHost h) {
    if (namespaceExists(h.namespace())) {
      Exec.run("ip", "netns", "delete", h.namespace());
    }
    // the kernel removes the pair with the namespace, sometimes a moment later
    if (linkExists(h.hostVeth())) {
      ProcessResult r = Exec.attempt(Duration.ofSeconds(10), List.of("ip", "link", "delete", h.hostVeth()));
      if (!r.ok() && linkExists(h.hostVeth())) {
        throw new dev.gantry.core.UserError("`ip link delete " + h.hostVeth() + "` failed: " + r.stderr().strip());
      }
    }
  }

  /** Every process in the namespace: sshd and whatever its sessions started. */
  List<Long> pids(String ns) {
    if (!namespaceExists(ns)) {
      return List.of();
    }
    List<Long> out = new ArrayList<>();
    for (String line : Exec.run("ip", "netns", "pids", ns).split("\n")) {
      if (!line.isBlank()) {
        out.add(Long.parseLong(line.strip()));
      }
    }
    return out;
  }

  /** Stops every process in the namespace: TERM, then KILL for those that linger. */
  void killAll(String ns) {
    List<Long> pids = pids(ns);
    pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (System.nanoTime() < deadline && pids.stream().anyMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))) {
      pause(50);
    }
    for (int round = 0; round < 5 && !pids(ns).isEmpty(); round++) {
      pids(ns).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      pause(100);
    }
  }

  void mountOverlay(Path lower, Path upper, Path work, Path target) {
    Exec.run("mount", "-t", "overlay", "overlay", "-o",
        "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, target.toString());
  }

  /**
   * What systemd-nspawn keeps on this machine for a machine it ran, which a machine ended by
   * SIGKILL leaves behind: the mount propagation directory and the lock on the root directory
   * (named after its device and inode, so read while the root is still mounted).
   */
  void removeNspawnState(String machine, Path root) {
    List<Path> state = new ArrayList<>(List.of(Path.of("/run/systemd/nspawn/propagate", machine)));
    try {
      state.add(Path.of("/run/systemd/nspawn/locks", "inode-" + Files.getAttribute(root, "unix:dev") + ":"
          + Files.getAttribute(root, "unix:ino")));
    } catch (IOException | UnsupportedOperationException e) {
      // no root, no lock on it
    }
    for (Path p : state) {
      if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Exec.run("rm", "-rf", "--one-file-system", p.toString());
      }
    }
  }

  /** Mount points at or below {@code dir}, deepest first. */
  List<Path> mountsUnder(Path dir) {
    List<Path> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
        String[] f = line.split(" ");
        if (f.length > 1) {
          Path p = Path.of(f[1].replace("\\040", " "));
          if (p.startsWith(dir)) {
            out.add(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    return out;
  }

  void unmountAll(Path dir) {
    for (Path p : mountsUnder(dir)) {
      ProcessResult r = Exec.attempt(Duration.ofSeconds(30), List.of("umount", p.toString()));
      if (!r.ok()) {
        // something still holds it open; detach it now, the kernel frees it when released
        Exec.run("umount", "-l", p.toString());
      }
    }
  }

  /** Removes a host's directory without ever crossing into a mount. */
  void removeTree(Path dir) {
    if (Files.exists(dir)) {
      Exec.run("rm", "-rf", "--one-file-system", dir.toString());
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

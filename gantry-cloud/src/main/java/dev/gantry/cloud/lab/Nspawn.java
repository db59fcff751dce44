package dev.gantry.cloud.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Boots a lab machine: {@code systemd-nspawn --boot} on the machine's root inside its network
 * namespace, started from the machine's own cgroups and detached from Gantry, so the machine
 * outlives the command that made it.
 */
final class Nspawn {
  /** Joins the cgroups given first, then records its PID (so a PID file means "in the cgroups"), then becomes systemd-nspawn. */
  private static final String LAUNCHER = """
      exec >"$1" 2>&1 </dev/null; pidfile=$2; n=$3; shift 3
      while [ "$n" -gt 0 ]; do echo $$ >"$1/cgroup.procs" || exit 1; shift; n=$((n-1)); done
      echo $$ >"$pidfile"
      exec "$@"
      """;

  private Nspawn() {}

  /**
   * The nspawn command line. Each flag is needed by the Docker inside: {@code CAP_NET_ADMIN} for
   * its NAT chains, {@code @keyring} for runc's session keyring, and {@code /var/lib/docker} on
   * a plain directory because dockerd's overlay2 fails on an overlay root
   * ({@code invalid cross-device link}). This machine's PID 1 is not systemd, so the machine
   * is neither registered nor given a unit of its own.
   */
  static List<String> argv(LabHost h, String slug) {
    return List.of("systemd-nspawn", "--boot", "--register=no", "--keep-unit", "--console=passive",
        "--directory=" + h.root(), "--machine=" + slug, "--hostname=" + h.name(),
        "--network-namespace-path=/run/netns/" + h.namespace(),
        "--capability=CAP_NET_ADMIN", "--system-call-filter=@keyring",
        "--bind=" + h.dockerDir() + ":/var/lib/docker");
  }

  /** The detached launch: {@code setsid -f sh -c LAUNCHER ...}; returns once nspawn is starting. */
  static List<String> launch(LabHost h, String slug, List<Path> cgroups) {
    List<String> cmd = new ArrayList<>(List.of("setsid", "-f", "sh", "-c", LAUNCHER, "gantry-lab-launch",
        h.consoleLog().toString(), h.pidFile().toString(), Integer.toString(cgroups.size())));
    cgroups.forEach(c -> cmd.add(c.toString()));
    cmd.addAll(argv(h, slug));
    return cmd;
  }

  static void start(LabHost h, String slug, List<Path> cgroups) {
    Exec.run(Duration.ofSeconds(30), launch(h, slug, cgroups).toArray(String[]::new));
  }
}

package dev.gantry.cloud.lab;

import dev.gantry.core.UserError;
import dev.gantry.core.process.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Whether a lab machine's systemd has finished booting, asked of the machine itself: its PID 1
 * is found among the machine's processes and {@code systemctl} runs in its namespaces.
 */
final class MachineState {
  private MachineState() {}

  /**
   * Waits until systemd says {@code running} (or {@code degraded}, with the failed units named)
   * and returns what it said.
   */
  static String awaitBooted(LabHost h, Duration timeout) {
    long leader = leader(h).orElseThrow(() -> new UserError("lab machine '" + h.name()
        + "' has no systemd running (no PID 1 among its processes)"));
    Duration wait = timeout.isNegative() || timeout.isZero() ? Duration.ofSeconds(1) : timeout;
    ProcessResult r = Exec.attempt(wait.plusSeconds(5), inMachine(leader, "timeout", Long.toString(Math.max(1, wait.toSeconds())),
        "systemctl", "is-system-running", "--wait"));
    String state = r.stdout().strip();
    if (state.equals("running")) {
      return state;
    }
    if (state.equals("degraded")) {
      String failed = Exec.attempt(Duration.ofSeconds(10), inMachine(leader, "systemctl", "--failed", "--no-legend",
          "--plain")).stdout().strip().replaceAll("\\s*\\n\\s*", ", ");
      return "degraded (failed units: " + failed + ")";
    }
    throw new UserError("lab machine '" + h.name() + "': systemd did not finish booting within " + wait.toSeconds()
        + " s (it says '" + (state.isEmpty() ? r.tail() : state) + "')");
  }

  /** A command run inside the machine: its mount and PID namespaces, entered through its PID 1. */
  static List<String> inMachine(long leader, String... command) {
    List<String> cmd = new java.util.ArrayList<>(List.of("nsenter", "--target", Long.toString(leader), "--mount", "--pid",
        "--uts", "--ipc", "--net", "--"));
    cmd.addAll(List.of(command));
    return cmd;
  }

  /** The machine's PID 1 as this machine numbers it: the process whose PID in its own namespace is 1. */
  static Optional<Long> leader(LabHost h) {
    for (long pid : MachineCgroups.pids(h.cgroupPaths())) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
          if (line.startsWith("NSpid:")) {
            String[] f = line.substring(6).strip().split("\\s+");
            if (f.length == 2 && f[1].equals("1")) {
              return Optional.of(pid);
            }
          }
        }
      } catch (IOException gone) {
        // ended while we looked
      }
    }
    return Optional.empty();
  }
}

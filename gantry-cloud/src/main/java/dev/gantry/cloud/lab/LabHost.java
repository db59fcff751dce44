package dev.gantry.cloud.lab;

import java.nio.file.Path;
import java.util.List;

/**
 * A lab machine as recorded in the data directory: its network namespace, the veth pair's
 * host end and both addresses, the directories of its overlay root filesystem, and the cgroups
 * it runs in.
 */
public record LabHost(String name, int index, String namespace, String hostVeth, String hostAddress,
    String address, int sshPort, String user, String dir, String lower, List<String> cgroups, String createdAt) {
  public LabHost {
    cgroups = cgroups == null ? List.of() : List.copyOf(cgroups);
  }

  Path dirPath() {
    return Path.of(dir);
  }

  Path root() {
    return dirPath().resolve("root");
  }

  Path upper() {
    return dirPath().resolve("upper");
  }

  Path work() {
    return dirPath().resolve("work");
  }

  /** A plain directory, bound to /var/lib/docker: dockerd cannot keep its layers on an overlay. */
  Path dockerDir() {
    return dirPath().resolve("docker");
  }

  /** What systemd-nspawn and the machine's console print. */
  Path consoleLog() {
    return dirPath().resolve("console.log");
  }

  Path pidFile() {
    return dirPath().resolve("nspawn.pid");
  }

  List<Path> cgroupPaths() {
    return cgroups.stream().map(Path::of).toList();
  }
}

package dev.gantry.cloud.lab;

import java.nio.file.Path;

/**
 * A lab host as recorded in the data directory: its network namespace, the veth pair's
 * host end and both addresses, and the directories of its overlay root filesystem.
 */
public record LabHost(String name, int index, String namespace, String hostVeth, String hostAddress,
    String address, int sshPort, String user, String dir, String lower, String createdAt) {
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
}

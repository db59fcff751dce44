package dev.gantry.cloud.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A lab machine's Docker socket forwarded over SSH to a socket here, so a Docker client here
 * (a CI step with {@code DOCKER_HOST}) drives the machine's Docker: builds run and pushes go
 * out from the machine.
 */
final class DockerForward implements AutoCloseable {
  private final Process ssh;
  private final Path socket;

  private DockerForward(Process ssh, Path socket) {
    this.ssh = ssh;
    this.socket = socket;
  }

  static DockerForward open(Path key, String address, Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path socket = dir.resolve("docker.sock");
    Path log = dir.resolve("ssh.log");
    Process p = new ProcessBuilder("ssh", "-i", key.toString(), "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-o", "ExitOnForwardFailure=yes",
        "-o", "StreamLocalBindUnlink=yes", "-N", "-L", socket + ":/var/run/docker.sock", "root@" + address)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    for (int i = 0; i < 100 && p.isAlive() && !Files.exists(socket); i++) {
      Thread.sleep(100);
    }
    if (!Files.exists(socket)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("the Docker socket of " + address + " was not forwarded to " + socket + ": "
          + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new DockerForward(p, socket);
  }

  /** The {@code DOCKER_HOST} value for the forwarded socket. */
  String dockerHost() {
    return "unix://" + socket;
  }

  @Override
  public void close() throws InterruptedException {
    ssh.destroy();
    if (!ssh.waitFor(10, TimeUnit.SECONDS)) {
      ssh.destroyForcibly().waitFor();
    }
  }
}

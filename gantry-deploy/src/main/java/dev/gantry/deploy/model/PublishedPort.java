package dev.gantry.deploy.model;

import dev.gantry.core.definition.DefinitionError;

/** A container port published on the host, e.g. {@code 127.0.0.1:8080 -> 80}. */
public record PublishedPort(String hostIp, int hostPort, int containerPort) {
  public PublishedPort {
    Ports.check(hostPort, "published port");
    Ports.check(containerPort, "container port");
    if (hostIp == null || hostIp.isBlank()) {
      throw new DefinitionError("published port " + hostPort + ": the host address must not be empty");
    }
  }

  /** Compose short syntax: {@code "127.0.0.1:8080:80"}. */
  public String composeShort() {
    return hostIp + ":" + hostPort + ":" + containerPort;
  }
}

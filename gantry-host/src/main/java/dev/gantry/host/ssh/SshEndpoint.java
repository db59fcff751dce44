package dev.gantry.host.ssh;

import dev.gantry.core.infra.HostSpec;

/**
 * Where to connect: address, port and user (root, or a user with password-less sudo).
 *
 * <pre>{@code
 * SshEndpoint prod = new SshEndpoint("203.0.113.7", 22, "admin");
 * SshEndpoint fromSpec = SshEndpoint.of(infra.requireHost("prod.example.com"));
 * }</pre>
 */
public record SshEndpoint(String host, int port, String user) {
  public SshEndpoint {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("an SSH host must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("SSH port " + port + " is not in 1..65535");
    }
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("an SSH user must not be empty");
    }
  }

  /**
   * The endpoint a host of the infrastructure definition declares (its name when it gives no
   * address); {@link RecordedAddresses#endpoint} also looks at the address recorded in hosts.yml.
   */
  public static SshEndpoint of(HostSpec host) {
    return new SshEndpoint(host.address(), host.sshPort(), host.user());
  }

  /** True when commands need {@code sudo -n} to run as root. */
  public boolean needsSudo() {
    return !user.equals("root");
  }

  /** How known_hosts names this endpoint: {@code host} on port 22, else {@code [host]:port}. */
  public String knownHostsName() {
    return port == 22 ? host : "[" + host + "]:" + port;
  }

  @Override
  public String toString() {
    return user + "@" + host + (port == 22 ? "" : ":" + port);
  }
}

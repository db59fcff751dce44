package dev.gantry.host.property;

/**
 * Facts a property tells the host model, so other parts of Gantry can read them without
 * applying anything: ports it opens, secrets it uses, services to monitor.
 */
public sealed interface Info {
  /** A port the host serves, e.g. 443/tcp for an nginx site. */
  record PortOpened(int port, String protocol) implements Info {}

  /** A vault secret the property reads when applied. */
  record SecretUsed(SecretRef secret) implements Info {}

  /** A service (systemd unit or process name) worth monitoring on the host. */
  record ServiceMonitored(String name) implements Info {}
}

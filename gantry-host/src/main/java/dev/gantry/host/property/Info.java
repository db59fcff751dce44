package dev.gantry.host.property;

import dev.gantry.host.ca.CertificateAuthority.Subject;
import java.time.Duration;

/**
 * Facts a property tells the host model, so other parts of Gantry can read them without
 * applying anything: ports it opens, secrets it uses, services to monitor, certificates of the
 * team CA it installs.
 */
public sealed interface Info {
  /** A port the host serves, e.g. 443/tcp for an nginx site. */
  record PortOpened(int port, String protocol) implements Info {}

  /** A vault secret the property reads when applied. */
  record SecretUsed(SecretRef secret) implements Info {}

  /** A service (systemd unit or process name) worth monitoring on the host. */
  record ServiceMonitored(String name) implements Info {}

  /**
   * A certificate of the team CA the property installs: the spin issues one on this machine
   * (the CA's key stays here) and sends it with the CA's certificate.
   */
  record CertificateWanted(String name, Subject subject, Duration validity) implements Info {}

  /**
   * The address of another host of the definition, which the property reads when applied
   * ({@link Context#addressOf}): the spin resolves it here, before any host is touched, and
   * refuses a host that names one the definition does not declare.
   */
  record PeerAddressWanted(String host) implements Info {}
}

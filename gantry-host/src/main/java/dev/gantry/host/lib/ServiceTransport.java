package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;

/**
 * How clients reach a service that a property runs on a host, always said explicitly: TLS with a
 * certificate (chain) and key that are files on that host, or plain text on a network nobody
 * else is on. The registry ({@link DockerRegistry}) and Gantry's server ({@link GantryContainers})
 * take one; each has factories that name it in its own terms.
 *
 * <pre>{@code
 * DockerRegistry.tls("/etc/docker/registry/tls.crt", "/etc/docker/registry/tls.key")
 * GantryContainers.plainHttpOnPrivateNetwork()
 * }</pre>
 */
public sealed interface ServiceTransport permits ServiceTransport.Tls, ServiceTransport.PlainOnPrivateNetwork {

  /** TLS with this certificate (chain) and key, absolute paths on the service's host. */
  record Tls(String certificate, String key) implements ServiceTransport {
    public Tls {
      requireAbsolute(certificate, "a service's TLS certificate");
      requireAbsolute(key, "a service's TLS key");
    }
  }

  /** Plain text: only where nobody else listens (a lab network), or behind a TLS proxy. */
  record PlainOnPrivateNetwork() implements ServiceTransport {}

  /** {@code path} is an absolute path, else a {@link DefinitionError} naming {@code what}. */
  static void requireAbsolute(String path, String what) {
    if (path == null || !path.matches("/\\S*")) {
      throw new DefinitionError(what + " must be an absolute path, not '" + path + "'");
    }
  }
}

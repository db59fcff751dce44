package dev.gantry.deploy.engine;

import dev.gantry.core.target.Target;
import dev.gantry.deploy.layout.Layout;

/**
 * A host to deploy to: its name in the definition, role and address for the registry, how
 * commands reach it, where Gantry keeps files there, and an optional project prefix.
 *
 * <p>A system's compose project (and so its volumes) is named after the system and the
 * host, {@code capital-prod}: two environments sharing one Docker Engine never share a
 * container or a volume.
 *
 * <pre>{@code
 * HostTarget prod = new HostTarget("prod", "production", "203.0.113.7", executor, "/var/lib/gantry", "");
 * }</pre>
 */
public record HostTarget(String name, String role, String address, Target executor, String root, String prefix) {

  public HostTarget {
    prefix = prefix == null ? "" : prefix;
    role = role == null ? "" : role;
  }

  /** Where {@code system} lives here when the ledger does not say otherwise: project {@code <prefix><system>-<host>}. */
  public Layout layout(String system) {
    return Layout.of(root, prefix, system + "-" + slug(name));
  }

  /** A host name as a project name part: {@code prod.example.com} becomes {@code prod-example-com}. */
  static String slug(String hostName) {
    String s = hostName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("^-+|-+$", "");
    return s.isEmpty() ? "host" : s;
  }
}

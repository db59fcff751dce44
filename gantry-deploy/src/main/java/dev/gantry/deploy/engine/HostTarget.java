package dev.gantry.deploy.engine;

import dev.gantry.deploy.exec.Executor;
import dev.gantry.deploy.layout.Layout;

/**
 * A host to deploy to: its name in the definition, role and address for the registry, how
 * commands reach it, where Gantry keeps files there, and an optional project prefix that
 * keeps several environments apart on one Docker Engine.
 *
 * <pre>{@code
 * HostTarget prod = new HostTarget("prod", "production", "203.0.113.7", executor, "/var/lib/gantry", "");
 * }</pre>
 */
public record HostTarget(String name, String role, String address, Executor executor, String root, String prefix) {

  public HostTarget {
    prefix = prefix == null ? "" : prefix;
    role = role == null ? "" : role;
  }

  public Layout layout(String system) {
    return Layout.of(root, prefix, system);
  }
}

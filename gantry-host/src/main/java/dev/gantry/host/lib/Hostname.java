package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.Props;
import dev.gantry.core.target.FileAttrs;

/**
 * The host's name in {@code /etc/hostname} and {@code /etc/hosts}; the kernel takes it at
 * the next boot, or now with {@code .onChange(Hostname.applied())} on a booted host.
 *
 * <pre>{@code
 * Hostname.is("ci.example.com").onChange(Hostname.applied())
 * }</pre>
 */
public final class Hostname {
  private Hostname() {}

  public static Property is(String fqdn) {
    if (!fqdn.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*")) {
      throw new DefinitionError("'" + fqdn + "' is not a valid host name");
    }
    String shortName = fqdn.contains(".") ? fqdn.substring(0, fqdn.indexOf('.')) : fqdn;
    String hostsLine = "127.0.1.1\t" + (shortName.equals(fqdn) ? fqdn : fqdn + " " + shortName);
    return Props.sequence("hostname " + fqdn,
        File.hasContent("/etc/hostname", shortName + "\n", FileAttrs.mode(0644)),
        File.hasLineMatching("/etc/hosts", "^127\\.0\\.1\\.1\\s", hostsLine));
  }

  /** Sets the running kernel's host name from /etc/hostname (with hostnamectl: systemd must run). */
  public static Property applied() {
    return Systemd.requiringSystemd(Cmd.run("running hostname set from /etc/hostname",
        "sh", "-c", "hostnamectl set-hostname \"$(cat /etc/hostname)\""));
  }
}

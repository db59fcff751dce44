package dev.gantry.host.apply;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.HostProperty;
import dev.gantry.core.infra.HostSpec;
import dev.gantry.host.property.Info;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.SecretRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a host's properties tell about it, without applying anything: the ports it opens,
 * the vault secrets it uses (contexts resolved to the host), the services to monitor, the
 * certificates of the team CA it needs issued, the other hosts whose addresses it uses.
 * Other parts of Gantry (monitoring, deploy) read it.
 *
 * <pre>{@code
 * HostModel m = HostModel.of(infra.requireHost("prod.example.com"));
 * m.services();   // [docker, nginx, collectd]
 * }</pre>
 */
public record HostModel(String host, List<Info.PortOpened> ports, Set<SecretRef> secrets, List<String> services,
    List<Info.CertificateWanted> certificates, Set<String> peers) {
  public static HostModel of(HostSpec spec) {
    List<Info.PortOpened> ports = new ArrayList<>();
    Set<SecretRef> secrets = new LinkedHashSet<>();
    Set<String> services = new LinkedHashSet<>();
    List<Info.CertificateWanted> certificates = new ArrayList<>();
    Set<String> peers = new LinkedHashSet<>();
    for (Property p : properties(spec)) {
      for (Info i : p.info()) {
        switch (i) {
          case Info.PortOpened po -> {
            if (!ports.contains(po)) {
              ports.add(po);
            }
          }
          case Info.SecretUsed su -> secrets.add(su.secret().resolve(spec.name()));
          case Info.ServiceMonitored sm -> services.add(sm.name());
          case Info.PeerAddressWanted pw -> peers.add(pw.host());
          case Info.CertificateWanted cw -> {
            if (certificates.stream().anyMatch(c -> c.name().equals(cw.name()) && !c.equals(cw))) {
              throw new UserError("host '" + spec.name() + "': two different certificates are named '" + cw.name() + "'");
            }
            if (!certificates.contains(cw)) {
              certificates.add(cw);
            }
          }
        }
      }
    }
    return new HostModel(spec.name(), List.copyOf(ports), Set.copyOf(secrets), List.copyOf(services), List.copyOf(certificates),
        Collections.unmodifiableSet(peers));
  }

  /** The host's properties as host-configuration properties; anything else is a definition error. */
  public static List<Property> properties(HostSpec spec) {
    List<Property> out = new ArrayList<>();
    for (HostProperty hp : spec.properties()) {
      if (hp instanceof Property p) {
        out.add(p);
      } else {
        throw new UserError("host '" + spec.name() + "': property '" + hp.describe() + "' ("
            + hp.getClass().getName() + ") does not implement dev.gantry.host.property.Property, so it cannot be"
            + " applied");
      }
    }
    return out;
  }
}

package dev.gantry.host.spin;

import dev.gantry.core.infra.HostSelection;
import dev.gantry.core.infra.HostSpec;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.host.apply.HostModel;
import dev.gantry.host.ca.TeamCa;
import dev.gantry.host.property.Info;
import dev.gantry.host.property.SecretRef;
import dev.gantry.host.ssh.RecordedAddresses;
import dev.gantry.host.ssh.SshEndpoint;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a spin will do, decided before anything is touched: the chosen hosts in the
 * definition's order, each ready (where to connect, which secrets to send) or blocked
 * with the reason (secrets missing from the vault). A pure function of the definition,
 * the selection, the recorded addresses and what the vault holds.
 *
 * <pre>{@code
 * SpinPlan plan = SpinPlan.of(infra, HostSelection.of(List.of("web*")), RecordedAddresses.read(dir), vault::has);
 * plan.hosts();   // [Ready[web1 ...], Blocked[web2, "missing vault secrets ..."]]
 * }</pre>
 */
public record SpinPlan(List<HostPlan> hosts) {
  public SpinPlan {
    hosts = List.copyOf(hosts);
  }

  /** One host's part of the plan. */
  public sealed interface HostPlan {
    String host();
  }

  /**
   * The host will be spun: connect to {@code endpoint}, send {@code secrets}, the
   * {@code certificates} issued for it by the team CA here and the addresses of the other
   * hosts its properties use ({@code peers}, host name to address).
   */
  public record Ready(HostSpec spec, SshEndpoint endpoint, List<SecretRef> secrets, List<Info.CertificateWanted> certificates,
      Map<String, String> peers) implements HostPlan {
    public Ready {
      secrets = List.copyOf(secrets);
      certificates = List.copyOf(certificates);
      peers = Collections.unmodifiableMap(new LinkedHashMap<>(peers));
    }

    @Override
    public String host() {
      return spec.name();
    }
  }

  /** The host will not be contacted, for {@code reason}. */
  public record Blocked(String host, String reason) implements HostPlan {}

  public static SpinPlan of(Infrastructure infra, HostSelection selection, RecordedAddresses addresses,
                            Predicate<SecretRef> inVault) {
    List<HostPlan> plans = selection.select(infra).stream().map(spec -> plan(infra, spec, addresses, inVault)).toList();
    return new SpinPlan(plans);
  }

  private static HostPlan plan(Infrastructure infra, HostSpec spec, RecordedAddresses addresses, Predicate<SecretRef> inVault) {
    HostModel model = HostModel.of(spec); // also refuses properties that cannot be applied
    List<SecretRef> secrets = model.secrets().stream().sorted(java.util.Comparator.comparing(SecretRef::setCommand))
        .toList();
    List<String> missing = secrets.stream().filter(inVault.negate()).map(SecretRef::setCommand).toList();
    if (!missing.isEmpty()) {
      return new Blocked(spec.name(), "missing vault secrets, nothing was changed; set them with:\n  "
          + String.join("\n  ", missing));
    }
    if (!model.certificates().isEmpty() && !inVault.test(TeamCa.VAULT_ENTRY)) {
      return new Blocked(spec.name(), "it installs certificates of the team CA (" + model.certificates().stream()
          .map(Info.CertificateWanted::name).collect(java.util.stream.Collectors.joining(", ")) + ") and there is no team CA "
          + "in the vault, nothing was changed; make one with: gantry ca init");
    }
    List<String> unknown = model.peers().stream().filter(p -> infra.findHost(p).isEmpty()).toList();
    if (!unknown.isEmpty()) {
      return new Blocked(spec.name(), "its properties use the address of " + String.join(", ", unknown.stream()
          .map(h -> "'" + h + "'").toList()) + ", which the definition does not declare as a host, nothing was changed");
    }
    Map<String, String> peers = new LinkedHashMap<>();
    model.peers().forEach(p -> peers.put(p, addresses.addressOf(infra.requireHost(p))));
    return new Ready(spec, addresses.endpoint(spec), secrets, model.certificates(), peers);
  }

  public List<String> hostNames() {
    return hosts.stream().map(HostPlan::host).toList();
  }

  public List<Ready> ready() {
    return hosts.stream().filter(Ready.class::isInstance).map(Ready.class::cast).toList();
  }
}

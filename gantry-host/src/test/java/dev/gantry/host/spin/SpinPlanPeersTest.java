package dev.gantry.host.spin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.infra.HostSelection;
import dev.gantry.core.infra.HostsRegistry;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.host.lib.Collectd;
import dev.gantry.host.ssh.RecordedAddresses;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A property that uses another host's address: the plan resolves it before any host is touched. */
class SpinPlanPeersTest {
  @Test
  void theAddressOfAnotherHostIsResolvedFromItsDefinitionOrHostsYml() {
    Infrastructure infra = new Infrastructure();
    infra.host("web1").address("10.0.0.6").with(Collectd.reportingToHost("monitor", 5555, Duration.ofSeconds(10)));
    infra.host("monitor");
    HostsRegistry recorded = HostsRegistry.empty().withMachine("monitor", "10.213.4.2", "lab", "monitor");
    SpinPlan plan = SpinPlan.of(infra, HostSelection.of(List.of("web1")), new RecordedAddresses(recorded), ref -> true);
    assertThat(plan.ready()).singleElement().satisfies(r -> assertThat(r.peers()).isEqualTo(Map.of("monitor", "10.213.4.2")));
  }

  @Test
  void aHostNamingAHostTheDefinitionDoesNotDeclareIsBlocked() {
    Infrastructure infra = new Infrastructure();
    infra.host("web1").address("10.0.0.6").with(Collectd.reportingToHost("monitr", 5555, Duration.ofSeconds(10)));
    infra.host("monitor");
    SpinPlan plan = SpinPlan.of(infra, HostSelection.of(List.of("*")), new RecordedAddresses(HostsRegistry.empty()), ref -> true);
    assertThat(plan.hosts().get(0)).isInstanceOfSatisfying(SpinPlan.Blocked.class, b -> assertThat(b.reason())
        .isEqualTo("its properties use the address of 'monitr', which the definition does not declare as a host, "
            + "nothing was changed"));
    assertThat(plan.hosts().get(1)).isInstanceOf(SpinPlan.Ready.class);
  }
}

package dev.gantry.host.spin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.HostSelection;
import dev.gantry.core.infra.HostsRegistry;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.host.ca.CertificateAuthority;
import dev.gantry.host.ca.TeamCa;
import dev.gantry.host.lib.Certificates;
import dev.gantry.host.ssh.RecordedAddresses;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A host with certificates of the team CA: the plan issues them here, and waits for a CA to issue from. */
class SpinPlanCertificatesTest {
  private static SpinPlan plan(Infrastructure infra, boolean caInVault) {
    return SpinPlan.of(infra, HostSelection.of(List.of("*")), new RecordedAddresses(HostsRegistry.empty()),
        ref -> caInVault || !ref.equals(TeamCa.VAULT_ENTRY));
  }

  @Test
  void aHostWithCertificatesIsReadyWithThemWhenTheVaultHoldsTheTeamCa() {
    Infrastructure infra = new Infrastructure();
    infra.host("ci.example.org").address("10.0.0.5").with(
        Certificates.server("ci", "/etc/gantry/tls/ci.crt", "/etc/gantry/tls/ci.key", "ci.example.org"));
    SpinPlan.Ready ready = plan(infra, true).ready().get(0);
    assertThat(ready.certificates()).extracting(c -> c.name()).containsExactly("ci");
    assertThat(ready.secrets()).doesNotContain(TeamCa.VAULT_ENTRY); // the CA's key is never sent
  }

  @Test
  void withoutATeamCaTheHostIsBlockedSayingHowToMakeOne() {
    Infrastructure infra = new Infrastructure();
    infra.host("ci.example.org").address("10.0.0.5").with(
        Certificates.client("agent", "/etc/gantry/tls/agent.crt", "/etc/gantry/tls/agent.key"));
    infra.host("web.example.org").address("10.0.0.6");
    SpinPlan p = plan(infra, false);
    assertThat(p.hosts().get(0)).isInstanceOfSatisfying(SpinPlan.Blocked.class, b -> assertThat(b.reason())
        .contains("installs certificates of the team CA (agent)", "no team CA", "gantry ca init"));
    assertThat(p.hosts().get(1)).isInstanceOf(SpinPlan.Ready.class);
  }

  @Test
  void twoDifferentCertificatesOfOneNameOnAHostAreRefused() {
    Infrastructure infra = new Infrastructure();
    infra.host("ci.example.org").address("10.0.0.5").with(
        Certificates.server("ci", "/etc/a.crt", "/etc/a.key", "a.example.org"),
        Certificates.server("ci", "/etc/b.crt", "/etc/b.key", "b.example.org"));
    assertThatThrownBy(() -> plan(infra, true)).isInstanceOf(UserError.class)
        .hasMessageContaining("two different certificates are named 'ci'");
  }

  @Test
  void aVaultEntryWithTheKeyAloneSaysHowToAddTheCertificate() {
    CertificateAuthority.Issued ca = CertificateAuthority.create("Team CA", Duration.ofDays(365), Clock.systemUTC());
    assertThatThrownBy(() -> TeamCa.fromVaultEntry(ca.keyPem())).isInstanceOf(UserError.class)
        .hasMessageContaining("holds the CA's key but not its certificate",
            "gantry vault get gantry-ca-key any | cat - ca/ca.crt | gantry vault set gantry-ca-key any");
    assertThat(TeamCa.fromVaultEntry(TeamCa.vaultEntry(ca)).certificate()).isEqualTo(ca.certificate());
  }
}

package dev.gantry.host.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.host.ca.CertificateAuthority.Issued;
import dev.gantry.host.ca.CertificateAuthority.Subject;
import dev.gantry.host.ca.CertificateAuthority.Use;
import dev.gantry.host.ca.CertificateRenewal.Installed;
import dev.gantry.host.ca.CertificateRenewal.Verdict;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When an installed certificate stays and when it is issued again, in virtual time. */
class CertificateRenewalTest {
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  static final Duration RENEW = Duration.ofDays(30);
  static final Issued CA = CertificateAuthority.create("Team CA", Duration.ofDays(3650), at(T0));
  static final Subject CI = new Subject("ci", List.of("ci.example.org"), List.of("10.0.0.5"), Use.SERVER);

  static Clock at(Instant t) {
    return Clock.fixed(t, ZoneOffset.UTC);
  }

  static Installed installed(Issued cert) {
    return new Installed("/etc/tls/ci.crt", cert.certificatePem(), "/etc/tls/ci.key", cert.keyPem());
  }

  static Verdict decide(Installed i, Instant now) {
    return CertificateRenewal.decide(i, CA.certificate(), CI, RENEW, now);
  }

  @Test
  void aFreshCertificateOfTheCaForTheNamesStays() {
    Issued cert = CertificateAuthority.issue(CA, CI, Duration.ofDays(90), at(T0));
    assertThat(decide(installed(cert), T0.plus(Duration.ofDays(10))))
        .isEqualTo(new Verdict.Keep(Duration.ofDays(80)));
  }

  @Test
  void nearExpiryOrExpiredItIsIssuedAgainSayingWhen() {
    Issued cert = CertificateAuthority.issue(CA, CI, Duration.ofDays(90), at(T0));
    assertThat(decide(installed(cert), T0.plus(Duration.ofDays(78))))
        .isEqualTo(new Verdict.Issue("expires in 12 days"));
    assertThat(decide(installed(cert), T0.plus(Duration.ofDays(91))))
        .isEqualTo(new Verdict.Issue("it expired on " + T0.plus(Duration.ofDays(90))));
  }

  @Test
  void missingFilesAnotherCaOtherNamesOrAnotherUseAreIssuedAgain() {
    Issued cert = CertificateAuthority.issue(CA, CI, Duration.ofDays(90), at(T0));
    assertThat(decide(new Installed("/etc/tls/ci.crt", null, "/etc/tls/ci.key", null), T0))
        .isEqualTo(new Verdict.Issue("no certificate at /etc/tls/ci.crt"));
    assertThat(decide(new Installed("/etc/tls/ci.crt", cert.certificatePem(), "/etc/tls/ci.key", null), T0))
        .isEqualTo(new Verdict.Issue("no key at /etc/tls/ci.key"));
    assertThat(decide(new Installed("/etc/tls/ci.crt", "junk\n", "/etc/tls/ci.key", cert.keyPem()), T0))
        .isEqualTo(new Verdict.Issue("/etc/tls/ci.crt holds no PEM certificate (-----BEGIN CERTIFICATE-----)"));

    Issued other = CertificateAuthority.create("Other CA", Duration.ofDays(3650), at(T0));
    assertThat(decide(installed(CertificateAuthority.issue(other, CI, Duration.ofDays(90), at(T0))), T0))
        .isEqualTo(new Verdict.Issue("it was issued by CN=Other CA, not the team CA"));
    Issued sameNameOtherKey = CertificateAuthority.create("Team CA", Duration.ofDays(3650), at(T0));
    assertThat(decide(installed(CertificateAuthority.issue(sameNameOtherKey, CI, Duration.ofDays(90), at(T0))), T0))
        .isEqualTo(new Verdict.Issue("it was issued by CN=Team CA, not the team CA"));

    Issued oldNames = CertificateAuthority.issue(CA, new Subject("ci", List.of("old.example.org"), List.of("10.0.0.5"),
        Use.SERVER), Duration.ofDays(90), at(T0));
    assertThat(decide(installed(oldNames), T0))
        .isEqualTo(new Verdict.Issue("its names are [dns:old.example.org, ip:10.0.0.5], wanted [dns:ci.example.org, ip:10.0.0.5]"));
    Issued client = CertificateAuthority.issue(CA, new Subject("ci", List.of("ci.example.org"), List.of("10.0.0.5"),
        Use.CLIENT), Duration.ofDays(90), at(T0));
    assertThat(decide(installed(client), T0))
        .isEqualTo(new Verdict.Issue("it is a client certificate, wanted a server one"));

    Issued second = CertificateAuthority.issue(CA, CI, Duration.ofDays(90), at(T0));
    assertThat(decide(new Installed("/etc/tls/ci.crt", cert.certificatePem(), "/etc/tls/ci.key", second.keyPem()), T0))
        .isEqualTo(new Verdict.Issue("the key at /etc/tls/ci.key does not belong to it"));
  }

  @Test
  void aCaThatEndsWithinTheRenewalTimeCannotHelp() {
    Issued shortCa = CertificateAuthority.create("Team CA", Duration.ofDays(20), at(T0));
    Verdict v = CertificateRenewal.decide(new Installed("/c", null, "/k", null), shortCa.certificate(), CI, RENEW, T0);
    assertThat(v).isInstanceOf(Verdict.Impossible.class);
    assertThat(((Verdict.Impossible) v).reason()).contains("the team CA expires on", "gantry ca init --force");
  }

  @Test
  void theKeyCarriesItsPublicPointAndTheVaultEntryRoundTrips() {
    Issued cert = CertificateAuthority.issue(CA, CI, Duration.ofDays(90), at(T0));
    assertThat(cert.keyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
    // PKCS#8 of an EC P-256 key with its public point (GnuTLS needs it): 138 bytes, base64 in 184 characters
    assertThat(cert.keyPem().replaceAll("-----[A-Z ]+-----|\\s", "")).hasSize(184);
    Issued back = TeamCa.fromVaultEntry(TeamCa.vaultEntry(CA));
    assertThat(back.certificate()).isEqualTo(CA.certificate());
    assertThat(((ECPrivateKey) back.key()).getS()).isEqualTo(((ECPrivateKey) CA.key()).getS());
  }

  @Test
  void issuingNeedsNothingButJavaBaseAsOnAHostsRuntime() throws Exception {
    for (Class<?> c : List.of(CertificateAuthority.class, CertificateAuthority.Issued.class, Der.class, TeamCa.class,
        CertificateRenewal.class)) {
      try (var in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
        String bytes = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(bytes).as(c.getName()).doesNotContain("org/bouncycastle", "picocli");
      }
    }
  }
}

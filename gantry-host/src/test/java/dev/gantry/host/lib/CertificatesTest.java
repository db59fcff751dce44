package dev.gantry.host.lib;

import static dev.gantry.host.testing.Converge.converges;
import static dev.gantry.host.testing.Converge.fails;
import static dev.gantry.host.testing.Converge.holds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.target.ChrootTarget;
import dev.gantry.core.target.FileStat;
import dev.gantry.core.tls.PemFiles;
import dev.gantry.host.ca.CertificateAuthority;
import dev.gantry.host.ca.CertificateAuthority.Issued;
import dev.gantry.host.ca.SpinCertificates;
import dev.gantry.host.lib.Certificates.IssuedCertificate;
import dev.gantry.host.property.Context;
import dev.gantry.host.property.Info;
import dev.gantry.host.property.Result;
import dev.gantry.host.property.SecretRef;
import dev.gantry.host.property.Secrets;
import dev.gantry.host.property.Status;
import dev.gantry.host.testing.Sh;
import dev.gantry.host.testing.TestRootfs;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * Certificates of the team's CA installed and renewed in a real Debian root filesystem
 * (chroot): missing, installed; valid, kept; near expiry or for other names, issued again.
 * Each application gets what a spin sends ({@link SpinCertificates#issue}): the CA's
 * certificate and one issued for the property at that moment, never the CA's key.
 */
@Tag("integration")
class CertificatesTest {
  // one tree; each method uses files of its own
  static TestRootfs fs;
  static ChrootTarget t;
  static Issued ca;
  static Context ctx;

  @BeforeAll
  static void rootfs() {
    fs = TestRootfs.create("certificates");
    t = fs.target();
    ca = CertificateAuthority.create("Team CA", Duration.ofDays(3650), Clock.systemUTC());
    ctx = Context.of(t).withHostName("ci");
    Sh.must("mkdir", "-p", fs.path("/etc/gantry/tls").toString());
  }

  @AfterAll
  static void cleanup() {
    if (fs != null) {
      fs.close();
    }
  }

  static X509Certificate installed(String path) throws Exception {
    return PemFiles.certificates(Files.readString(fs.path(path)), path).get(0);
  }

  /** The context of a spin of {@code p} at {@code now}, with what the spin sends. */
  static Context spin(IssuedCertificate p, Instant now) {
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    Info.CertificateWanted wanted = (Info.CertificateWanted) p.info().get(0);
    return ctx.withClock(clock).withSecrets(Secrets.of(SpinCertificates.issue(ca, "ci", List.of(wanted), clock)));
  }

  static Context spin(IssuedCertificate p) {
    return spin(p, Instant.now());
  }

  @Test
  void aMissingCertificateIsIssuedWithItsKeyReadableByItsOwnerAloneAndThenKept() throws Exception {
    IssuedCertificate p = Certificates.server("ci", "/etc/gantry/tls/ci.crt", "/etc/gantry/tls/ci.key",
        "ci.example.org", "10.0.0.5").ownedBy("www-data", "www-data");
    assertThat(p.info()).singleElement().isInstanceOfSatisfying(Info.CertificateWanted.class, w -> {
      assertThat(w.name()).isEqualTo("ci");
      assertThat(w.subject().dnsNames()).containsExactly("ci.example.org");
    });
    Map<SecretRef, String> sent = SpinCertificates.issue(ca, "ci", List.of((Info.CertificateWanted) p.info().get(0)),
        Clock.systemUTC());
    assertThat(sent).containsKeys(SpinCertificates.CA_CERTIFICATE, SpinCertificates.issuedRef("ci", "ci"));
    assertThat(String.join("", sent.values())).doesNotContain(ca.keyPem().lines().skip(1).findFirst().orElseThrow());

    Result dry = p.apply(spin(p).dryRun(true));
    assertThat(dry.status()).isEqualTo(Status.WOULD_CHANGE);
    assertThat(dry.message()).contains("issue certificate for ci: no certificate at /etc/gantry/tls/ci.crt");
    assertThat(fs.path("/etc/gantry/tls/ci.crt")).doesNotExist();

    converges(p, spin(p));
    X509Certificate cert = installed("/etc/gantry/tls/ci.crt");
    cert.verify(ca.certificate().getPublicKey());
    assertThat(cert.getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1)).containsExactly("ci.example.org", "10.0.0.5");
    assertThat(PemFiles.isPair(PemFiles.privateKey(Files.readString(fs.path("/etc/gantry/tls/ci.key")), "ci.key"),
        cert.getPublicKey())).isTrue();
    FileStat key = t.stat("/etc/gantry/tls/ci.key").orElseThrow();
    assertThat(key.mode()).isEqualTo(0600);
    assertThat(key.owner()).isEqualTo("www-data");
    assertThat(t.stat("/etc/gantry/tls/ci.crt").orElseThrow().mode()).isEqualTo(0644);

    // valid: unchanged, a mode changed by hand is set back without a new certificate
    holds(p, spin(p));
    Sh.must("chmod", "0644", fs.path("/etc/gantry/tls/ci.key").toString());
    Result mode = p.apply(spin(p));
    assertThat(mode.status()).isEqualTo(Status.MADE_CHANGE);
    assertThat(mode.message()).contains("mode 0644 -> 0600");
    assertThat(installed("/etc/gantry/tls/ci.crt")).isEqualTo(cert);
  }

  @Test
  void nearExpiryItIsRenewedSayingWhyInTheDryRun() throws Exception {
    IssuedCertificate p = Certificates.server("web", "/etc/gantry/tls/web.crt", "/etc/gantry/tls/web.key", "web.example.org");
    Instant now = Instant.now();
    converges(p, spin(p, now));
    X509Certificate first = installed("/etc/gantry/tls/web.crt");
    holds(p, spin(p, now.plus(Duration.ofDays(360)))); // 37 days left: more than 30

    Context later = spin(p, now.plus(Duration.ofDays(385)));
    Result dry = p.apply(later.dryRun(true));
    assertThat(dry.status()).isEqualTo(Status.WOULD_CHANGE);
    assertThat(dry.message()).contains("issue certificate for web: expires in 11 days");
    assertThat(installed("/etc/gantry/tls/web.crt")).isEqualTo(first);

    converges(p, later);
    X509Certificate renewed = installed("/etc/gantry/tls/web.crt");
    assertThat(renewed.getNotAfter()).isAfter(first.getNotAfter());
    assertThat(renewed.getPublicKey()).isNotEqualTo(first.getPublicKey());
  }

  @Test
  void otherNamesOrAnotherCasCertificateAreReplaced() throws Exception {
    IssuedCertificate old = Certificates.server("api", "/etc/gantry/tls/api.crt", "/etc/gantry/tls/api.key", "old.example.org");
    converges(old, spin(old));
    IssuedCertificate renamed = Certificates.server("api", "/etc/gantry/tls/api.crt", "/etc/gantry/tls/api.key",
        "api.example.org");
    Result dry = renamed.apply(spin(renamed).dryRun(true));
    assertThat(dry.message()).contains("issue certificate for api: its names are [dns:old.example.org], wanted "
        + "[dns:api.example.org]");
    converges(renamed, spin(renamed));
    assertThat(installed("/etc/gantry/tls/api.crt").getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1))
        .containsExactly("api.example.org");

    Issued other = CertificateAuthority.create("Other CA", Duration.ofDays(3650), Clock.systemUTC());
    Issued foreign = CertificateAuthority.issue(other, new CertificateAuthority.Subject("api", java.util.List.of(
        "api.example.org"), java.util.List.of(), CertificateAuthority.Use.SERVER), Duration.ofDays(90), Clock.systemUTC());
    Files.writeString(fs.path("/etc/gantry/tls/api.crt"), foreign.certificatePem());
    Files.writeString(fs.path("/etc/gantry/tls/api.key"), foreign.keyPem());
    assertThat(renamed.apply(spin(renamed).dryRun(true)).message())
        .contains("issue certificate for api: it was issued by CN=Other CA, not the team CA");
    converges(renamed, spin(renamed));
    installed("/etc/gantry/tls/api.crt").verify(ca.certificate().getPublicKey());
  }

  @Test
  void withoutWhatTheSpinSendsAMissingDirectoryOrAnUnknownOwnerItFailsBeforeChanging() {
    IssuedCertificate p = Certificates.client("agent1", "/etc/gantry/tls/agent1.crt", "/etc/gantry/tls/agent1.key");
    assertThat(fails(p, ctx.withSecrets(Secrets.none())).message())
        .contains("the spin sent no gantry-ca-certificate", "gantry ca init");
    assertThat(fs.path("/etc/gantry/tls/agent1.crt")).doesNotExist();

    IssuedCertificate noDir = Certificates.client("agent2", "/etc/nowhere/agent2.crt", "/etc/nowhere/agent2.key");
    Result noDirResult = noDir.apply(spin(noDir));
    assertThat(noDirResult.status()).isEqualTo(Status.FAILED);
    assertThat(noDirResult.message()).contains("/etc/nowhere", "does not exist");

    IssuedCertificate noUser = p.ownedBy("nobody-here", "nobody-here");
    Result noUserResult = noUser.apply(spin(noUser));
    assertThat(noUserResult.status()).isEqualTo(Status.FAILED);
    assertThat(noUserResult.message()).contains("nobody-here");
    assertThat(fs.path("/etc/gantry/tls/agent1.key")).doesNotExist();

    // a certificate sent for other names (a spin of another definition) is not installed
    IssuedCertificate other = Certificates.client("agent1", "/etc/gantry/tls/agent1.crt", "/etc/gantry/tls/agent1.key")
        .renewBefore(Duration.ofDays(10)).validFor(Duration.ofDays(20));
    Context mismatched = spin(p).withSecrets(Secrets.of(SpinCertificates.issue(ca, "ci",
        List.of((Info.CertificateWanted) other.info().get(0)), Clock.fixed(Instant.now().minus(Duration.ofDays(15)), ZoneOffset.UTC))));
    assertThat(fails(p, mismatched).message()).contains("the certificate this spin issued for agent1 is not one to install");
    assertThat(fs.path("/etc/gantry/tls/agent1.crt")).doesNotExist();
  }
}

package dev.gantry.host.ca;

import dev.gantry.core.UserError;
import dev.gantry.core.tls.PemFiles;
import dev.gantry.host.ca.CertificateAuthority.Issued;
import dev.gantry.host.property.Info;
import dev.gantry.host.property.SecretRef;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a spin sends a host for its certificate properties: the team CA's certificate (public,
 * to judge the installed ones) and, for each certificate the host wants, one issued on this
 * machine just now with a fresh key, which the host installs only when its own must be
 * replaced. The CA's key never leaves this machine: a host can neither issue nor keep one.
 *
 * <pre>{@code
 * Map<SecretRef, String> sent = SpinCertificates.issue(ca, "ci.example.org", wanted, clock);
 * X509Certificate caCert = SpinCertificates.caCertificate(ctx.secret(SpinCertificates.CA_CERTIFICATE));
 * Issued fresh = SpinCertificates.issued(ctx.secret(SpinCertificates.issuedRef("ci", ctx.hostName())), "ci");
 * }</pre>
 */
public final class SpinCertificates {
  /** The CA's certificate as a spin sends it (not a vault entry). */
  public static final SecretRef CA_CERTIFICATE = SecretRef.of("gantry-ca-certificate", "any");

  private SpinCertificates() {}

  /** Where the spin puts the certificate issued for {@code name} on {@code host}. */
  public static SecretRef issuedRef(String name, String host) {
    return SecretRef.of("gantry-issued-" + name, host);
  }

  /** The CA's certificate and one certificate (with its key) per wanted one, issued now. */
  public static Map<SecretRef, String> issue(Issued ca, String host, List<Info.CertificateWanted> wanted, InstantSource clock) {
    Map<SecretRef, String> out = new LinkedHashMap<>();
    out.put(CA_CERTIFICATE, ca.certificatePem());
    for (Info.CertificateWanted w : wanted) {
      Issued issued = CertificateAuthority.issue(ca, w.subject(), w.validity(), clock);
      out.put(issuedRef(w.name(), host), issued.keyPem() + issued.certificatePem());
    }
    return out;
  }

  public static X509Certificate caCertificate(String pem) {
    return PemFiles.certificates(pem, "the team CA's certificate sent by the spin").get(0);
  }

  /** The certificate and key a spin sent for {@code name}. */
  public static Issued issued(String text, String name) {
    String where = "the certificate issued for " + name + " by this spin";
    int cert = text.indexOf("-----BEGIN CERTIFICATE-----");
    if (cert < 0) {
      throw new UserError(where + " holds no certificate");
    }
    return new Issued(PemFiles.certificates(text.substring(cert), where).get(0), PemFiles.privateKey(text, where));
  }
}

package dev.gantry.host.ca;

import dev.gantry.core.UserError;
import dev.gantry.core.tls.PemFiles;
import dev.gantry.host.ca.CertificateAuthority.Subject;
import dev.gantry.host.ca.CertificateAuthority.Use;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether an installed certificate can stay or must be issued again: it must be there, be
 * issued by the team's CA for the wanted names and use, have its key beside it, and have
 * more than {@code renewBefore} left. Pure: the files' texts and the time are given.
 *
 * <pre>{@code
 * Verdict v = CertificateRenewal.decide(new Installed("/etc/tls/ci.crt", crtText, "/etc/tls/ci.key", keyText),
 *     ca, subject, Duration.ofDays(30), clock.instant());
 * }</pre>
 */
public final class CertificateRenewal {
  private CertificateRenewal() {}

  /** What is on the host: the texts of the certificate and key files, null when missing. */
  public record Installed(String certificatePath, String certificatePem, String keyPath, String keyPem) {}

  /** The decision. */
  public sealed interface Verdict {
    /** The certificate stays; {@code left} until it expires. */
    record Keep(Duration left) implements Verdict {}

    /** A new certificate and key are needed, for {@code reason} ("expires in 12 days"). */
    record Issue(String reason) implements Verdict {}

    /** Issuing cannot help: a certificate of this CA would need renewing at once. */
    record Impossible(String reason) implements Verdict {}
  }

  /** The decision for {@code installed}, against the CA's certificate {@code ca}, at {@code now}. */
  public static Verdict decide(Installed installed, X509Certificate ca, Subject wanted, Duration renewBefore,
      Instant now) {
    Duration caLeft = Duration.between(now, ca.getNotAfter().toInstant());
    if (caLeft.compareTo(renewBefore) <= 0) {
      return new Verdict.Impossible("the team CA expires on " + ca.getNotAfter().toInstant() + ", within the "
          + days(renewBefore) + " before expiry when certificates are renewed: make a new CA (gantry ca init --force)");
    }
    if (installed.certificatePem() == null) {
      return new Verdict.Issue("no certificate at " + installed.certificatePath());
    }
    X509Certificate leaf;
    try {
      leaf = PemFiles.certificates(installed.certificatePem(), installed.certificatePath()).get(0);
    } catch (UserError e) {
      return new Verdict.Issue(e.getMessage());
    }
    if (!issuedBy(leaf, ca)) {
      return new Verdict.Issue("it was issued by " + leaf.getIssuerX500Principal().getName() + ", not the team CA");
    }
    String cn = "CN=" + wanted.name();
    if (!leaf.getSubjectX500Principal().getName().equals(cn)) {
      return new Verdict.Issue("it is for " + leaf.getSubjectX500Principal().getName() + ", not " + cn);
    }
    Set<String> has = names(leaf);
    Set<String> wants = wantedNames(wanted);
    if (!has.equals(wants)) {
      return new Verdict.Issue("its names are " + has + ", wanted " + wants);
    }
    Use use = uses(leaf, Use.CLIENT) ? Use.CLIENT : Use.SERVER;
    if (use != wanted.use() || !uses(leaf, wanted.use())) {
      return new Verdict.Issue("it is a " + use.name().toLowerCase() + " certificate, wanted a "
          + wanted.use().name().toLowerCase() + " one");
    }
    if (installed.keyPem() == null) {
      return new Verdict.Issue("no key at " + installed.keyPath());
    }
    try {
      PrivateKey key = PemFiles.privateKey(installed.keyPem(), installed.keyPath());
      if (!PemFiles.isPair(key, leaf.getPublicKey())) {
        return new Verdict.Issue("the key at " + installed.keyPath() + " does not belong to it");
      }
    } catch (UserError e) {
      return new Verdict.Issue(e.getMessage());
    }
    Duration left = Duration.between(now, leaf.getNotAfter().toInstant());
    if (left.isNegative() || left.isZero()) {
      return new Verdict.Issue("it expired on " + leaf.getNotAfter().toInstant());
    }
    if (left.compareTo(renewBefore) < 0) {
      return new Verdict.Issue("expires in " + days(left));
    }
    if (now.isBefore(leaf.getNotBefore().toInstant())) {
      return new Verdict.Issue("it is valid only from " + leaf.getNotBefore().toInstant());
    }
    return new Verdict.Keep(left);
  }

  private static boolean issuedBy(X509Certificate leaf, X509Certificate ca) {
    if (!leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      return false;
    }
    try {
      leaf.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean uses(X509Certificate leaf, Use use) {
    try {
      List<String> eku = leaf.getExtendedKeyUsage();
      return eku != null && eku.contains(use == Use.SERVER ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2");
    } catch (CertificateParsingException e) {
      return false;
    }
  }

  /** The certificate's DNS names and IP addresses, as {@code dns:x} and {@code ip:y}. */
  private static Set<String> names(X509Certificate leaf) {
    Set<String> out = new TreeSet<>();
    try {
      Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          int type = (Integer) san.get(0);
          if (type == 2) {
            out.add("dns:" + san.get(1));
          } else if (type == 7) {
            out.add("ip:" + canonicalIp((String) san.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // no readable names: compared as none
    }
    return out;
  }

  private static Set<String> wantedNames(Subject s) {
    Set<String> out = new TreeSet<>();
    s.dnsNames().forEach(d -> out.add("dns:" + d));
    s.ipAddresses().forEach(ip -> out.add("ip:" + canonicalIp(ip)));
    return out;
  }

  /** One spelling per address (IPv6 has many); a literal, never looked up. */
  private static String canonicalIp(String ip) {
    try {
      return InetAddress.getByName(ip).getHostAddress();
    } catch (UnknownHostException e) {
      return ip;
    }
  }

  private static String days(Duration d) {
    long n = d.toDays();
    return n == 1 ? "1 day" : n + " days";
  }
}

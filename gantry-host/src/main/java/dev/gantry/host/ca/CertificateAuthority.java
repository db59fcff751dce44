package dev.gantry.host.ca;

import dev.gantry.core.UserError;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A small certificate authority for a team's own machines: a self-signed CA certificate and
 * certificates it signs for servers (the Gantry server, the monitor, a registry) and clients
 * (agents, collectd), each an EC P-256 key. Pure but for the random numbers: the time comes
 * from the given clock, nothing is read or written.
 *
 * <pre>{@code
 * CertificateAuthority.Issued ca = CertificateAuthority.create("Example Co CA", Duration.ofDays(3650), clock);
 * CertificateAuthority.Issued web = CertificateAuthority.issue(ca, new Subject("ci", List.of("ci.example.org"),
 *     List.of("10.0.0.5"), Use.SERVER), Duration.ofDays(397), clock);
 * }</pre>
 */
public final class CertificateAuthority {
  /** What a certificate is for. */
  public enum Use { SERVER, CLIENT }

  /** Who a certificate is for: a name, and the DNS names and IP addresses it answers on. */
  public record Subject(String name, List<String> dnsNames, List<String> ipAddresses, Use use) {
    public Subject {
      if (name == null || name.isBlank()) {
        throw new UserError("a certificate needs a name");
      }
      dnsNames = List.copyOf(dnsNames);
      ipAddresses = List.copyOf(ipAddresses);
      for (String ip : ipAddresses) {
        if (!isIpAddress(ip)) {
          throw new UserError("'" + ip + "' is not an IP address");
        }
      }
      for (String dns : dnsNames) {
        if (!dns.matches("[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
          throw new UserError("'" + dns + "' is not a DNS name");
        }
      }
    }
  }

  /** A certificate and its key, as PEM text. */
  public record Issued(X509Certificate certificate, PrivateKey key) {
    public String certificatePem() {
      return pem(certificate);
    }

    /**
     * The key as unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}) with its public point
     * inside, as openssl writes it: GnuTLS (riemann-client, collectd) presents no certificate
     * for a key without it.
     */
    public String keyPem() {
      try {
        PrivateKeyInfo plain = PrivateKeyInfo.getInstance(key.getEncoded());
        org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(
            plain.parsePrivateKey());
        DERBitString point = new DERBitString(SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded())
            .getPublicKeyData().getOctets());
        PrivateKeyInfo full = new PrivateKeyInfo(plain.getPrivateKeyAlgorithm(),
            new org.bouncycastle.asn1.sec.ECPrivateKey(KEY_BITS, inner.getKey(), point, null));
        return pem(new PemObject("PRIVATE KEY", full.getEncoded()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public Instant notAfter() {
      return certificate.getNotAfter().toInstant();
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int KEY_BITS = 256;
  private static final Pattern IPV4 = Pattern.compile(
      "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  /** Certificates start a little in the past, so machines whose clocks lag accept them at once. */
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private CertificateAuthority() {}

  /** A new CA: its key and its self-signed certificate, valid for {@code validity}. */
  public static Issued create(String name, Duration validity, InstantSource clock) {
    requirePositive(validity);
    KeyPair pair = newKey();
    X500Name subject = new X500Name("CN=" + escape(name));
    Instant now = clock.instant();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(BACKDATE)),
          Date.from(now.plus(validity)), subject, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new Issued(sign(b, pair.getPrivate()), pair.getPrivate());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("the CA certificate could not be made", e);
    }
  }

  /**
   * A certificate for {@code subject} signed by {@code ca}, valid for {@code validity} but never
   * beyond the CA's own end; refused when the CA has expired.
   */
  public static Issued issue(Issued ca, Subject subject, Duration validity, InstantSource clock) {
    requirePositive(validity);
    Instant now = clock.instant();
    if (!now.isBefore(ca.notAfter())) {
      throw new UserError("the CA expired on " + ca.notAfter() + "; make a new one (gantry ca init --force) and "
          + "issue every certificate again");
    }
    Instant end = now.plus(validity).isAfter(ca.notAfter()) ? ca.notAfter() : now.plus(validity);
    KeyPair pair = newKey();
    List<GeneralName> names = new ArrayList<>();
    subject.dnsNames().forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
    subject.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
    if (subject.use() == Use.SERVER && names.isEmpty()) {
      throw new UserError("a server certificate for " + subject.name() + " needs the names or addresses clients "
          + "use to reach it (--dns NAME, --ip ADDRESS)");
    }
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X500Name issuer = new X500Name(ca.certificate().getSubjectX500Principal().getName());
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(now.minus(BACKDATE)),
          Date.from(end), new X500Name("CN=" + escape(subject.name())), pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
              subject.use() == Use.SERVER ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
      if (!names.isEmpty()) {
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      }
      return new Issued(sign(b, ca.key()), pair.getPrivate());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("the certificate for " + subject.name() + " could not be made", e);
    }
  }

  /** Whether {@code host} is a literal IPv4 or IPv6 address (and so a SAN of type IP, not DNS). */
  public static boolean isIpAddress(String host) {
    if (IPV4.matcher(host).matches()) {
      return true;
    }
    if (!host.contains(":") || !host.matches("[0-9a-fA-F:.]+")) {
      return false;
    }
    try {
      InetAddress.getByName(host); // with a colon, a literal: never looked up
      return true;
    } catch (IOException e) {
      return false;
    }
  }


  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair newKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static void requirePositive(Duration validity) {
    if (validity.isNegative() || validity.isZero()) {
      throw new UserError("a certificate's validity must be more than 0 days, got " + validity.toDays());
    }
  }

  /** RFC 4514's special characters in a common name. */
  private static String escape(String cn) {
    return cn.replaceAll("([,+\"\\\\<>;=#])", "\\\\$1");
  }

  static String pem(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}

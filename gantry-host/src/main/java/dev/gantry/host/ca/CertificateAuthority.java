package dev.gantry.host.ca;

import dev.gantry.core.UserError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;

/**
 * A small certificate authority for a team's own machines: a self-signed CA certificate and
 * certificates it signs for servers (the Gantry server, the monitor, a registry) and clients
 * (agents, collectd), each an EC P-256 key. Pure but for the random numbers: the time comes
 * from the given clock, nothing is read or written. It needs {@code java.base} alone (its
 * encodings are {@link Der}'s).
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
      byte[] d = unsigned(((ECPrivateKey) key).getS(), KEY_BYTES);
      byte[] inner = Der.sequence(Der.integer(1), Der.octets(d), Der.explicit(1, Der.bits(publicPoint(certificate.getPublicKey()))));
      byte[] pkcs8 = Der.sequence(Der.integer(0), Der.sequence(Der.oid(EC_PUBLIC_KEY), Der.oid(P256)), Der.octets(inner));
      return pem("PRIVATE KEY", pkcs8);
    }

    public Instant notAfter() {
      return certificate.getNotAfter().toInstant();
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int KEY_BYTES = 32;
  private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
  private static final String P256 = "1.2.840.10045.3.1.7";
  private static final String ECDSA_SHA256 = "1.2.840.10045.4.3.2";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
  private static final String SUBJECT_KEY_ID = "2.5.29.14";
  private static final String AUTHORITY_KEY_ID = "2.5.29.35";
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  /** KeyUsage bits, bit 0 as the high bit of the byte. */
  private static final int DIGITAL_SIGNATURE = 0x80;
  private static final int KEY_AGREEMENT = 0x08;
  private static final int KEY_CERT_SIGN = 0x04;
  private static final int CRL_SIGN = 0x02;
  private static final Pattern IPV4 = Pattern.compile(
      "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  /** Certificates start a little in the past, so machines whose clocks lag accept them at once. */
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private CertificateAuthority() {}

  /** A new CA: its key and its self-signed certificate, valid for {@code validity}. */
  public static Issued create(String name, Duration validity, InstantSource clock) {
    requirePositive(validity);
    KeyPair pair = newKey();
    byte[] subject = name(name);
    Instant now = clock.instant();
    byte[] extensions = Der.sequence(
        extension(BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true), Der.integer(0))),
        extension(KEY_USAGE, true, Der.namedBits(KEY_CERT_SIGN | CRL_SIGN)),
        extension(SUBJECT_KEY_ID, false, Der.octets(keyId(pair.getPublic()))));
    return new Issued(sign(subject, subject, now.minus(BACKDATE), now.plus(validity), pair.getPublic(), extensions,
        pair.getPrivate()), pair.getPrivate());
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
    List<byte[]> names = new ArrayList<>();
    subject.dnsNames().forEach(d -> names.add(Der.implicit(2, Der.ascii(d))));
    subject.ipAddresses().forEach(ip -> names.add(Der.implicit(7, address(ip))));
    if (subject.use() == Use.SERVER && names.isEmpty()) {
      throw new UserError("a server certificate for " + subject.name() + " needs the names or addresses clients "
          + "use to reach it (--dns NAME, --ip ADDRESS)");
    }
    KeyPair pair = newKey();
    List<byte[]> extensions = new ArrayList<>(List.of(
        extension(BASIC_CONSTRAINTS, true, Der.sequence()),
        extension(KEY_USAGE, true, Der.namedBits(DIGITAL_SIGNATURE | KEY_AGREEMENT)),
        extension(EXTENDED_KEY_USAGE, false, Der.sequence(Der.oid(subject.use() == Use.SERVER ? SERVER_AUTH : CLIENT_AUTH))),
        extension(SUBJECT_KEY_ID, false, Der.octets(keyId(pair.getPublic()))),
        extension(AUTHORITY_KEY_ID, false, Der.sequence(Der.implicit(0, authorityKeyId(ca.certificate()))))));
    if (!names.isEmpty()) {
      extensions.add(extension(SUBJECT_ALT_NAME, false, Der.sequence(names.toArray(byte[][]::new))));
    }
    X509Certificate cert = sign(ca.certificate().getSubjectX500Principal().getEncoded(), name(subject.name()),
        now.minus(BACKDATE), end, pair.getPublic(), Der.sequence(extensions.toArray(byte[][]::new)), ca.key());
    return new Issued(cert, pair.getPrivate());
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


  /** The certificate: its fields in DER, signed with ECDSA over SHA-256 by {@code issuerKey}. */
  private static X509Certificate sign(byte[] issuer, byte[] subject, Instant from, Instant to, PublicKey key,
      byte[] extensions, PrivateKey issuerKey) {
    byte[] algorithm = Der.sequence(Der.oid(ECDSA_SHA256));
    byte[] tbs = Der.sequence(Der.explicit(0, Der.integer(2)), Der.integer(serial()), algorithm, issuer,
        Der.sequence(Der.time(from), Der.time(to)), subject, key.getEncoded(), Der.explicit(3, extensions));
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(issuerKey);
      s.update(tbs);
      byte[] der = Der.sequence(tbs, algorithm, Der.bits(s.sign()));
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the certificate could not be signed", e);
    }
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octets(value))
        : Der.sequence(Der.oid(oid), Der.octets(value));
  }

  /** A name of one common name. */
  private static byte[] name(String cn) {
    return new X500Principal("CN=" + escape(cn)).getEncoded();
  }

  private static byte[] address(String ip) {
    try {
      return InetAddress.getByName(ip).getAddress(); // a literal: never looked up
    } catch (IOException e) {
      throw new UserError("'" + ip + "' is not an IP address");
    }
  }

  /** RFC 5280's key identifier: the SHA-1 of the public key's bits. */
  private static byte[] keyId(PublicKey key) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(publicPoint(key));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The CA's own key identifier (its extension as written), or one made from its key. */
  private static byte[] authorityKeyId(X509Certificate ca) {
    byte[] ext = ca.getExtensionValue(SUBJECT_KEY_ID);
    return ext == null ? keyId(ca.getPublicKey()) : Der.contents(Der.contents(ext));
  }

  /** The bits of a SubjectPublicKeyInfo (for EC, the point), without the BIT STRING's unused-bits byte. */
  private static byte[] publicPoint(PublicKey key) {
    byte[] bitString = Der.elements(Der.contents(key.getEncoded())).get(1);
    byte[] content = Der.contents(bitString);
    return java.util.Arrays.copyOfRange(content, 1, content.length);
  }

  private static byte[] unsigned(BigInteger v, int length) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[length];
    int n = Math.min(b.length, length);
    System.arraycopy(b, b.length - n, out, length - n, n);
    return out;
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

  static String pem(X509Certificate certificate) {
    try {
      return pem("CERTIFICATE", certificate.getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }
}

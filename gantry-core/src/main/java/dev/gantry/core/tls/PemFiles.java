package dev.gantry.core.tls;

import dev.gantry.core.UserError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates and private keys in PEM files, as {@code openssl} and every CA write them,
 * read into what the JDK's TLS needs. A file that is missing, not PEM, or a key that does not
 * belong to the certificate is a {@link UserError} naming the file.
 *
 * <pre>{@code
 * KeyStore ks = PemFiles.keyStore(Path.of("server.crt"), Path.of("server.key"));
 * }</pre>
 */
public final class PemFiles {
  /** The password of key stores made here: they live in memory only. */
  public static final char[] IN_MEMORY = new char[0];

  private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

  private PemFiles() {}

  /** The certificates of {@code file}, the server's own first; at least one. */
  public static List<X509Certificate> certificates(Path file) {
    return certificates(read(file, "certificate"), file.toString());
  }

  /** The certificates of PEM {@code text}; {@code file} names where it came from in messages. */
  public static List<X509Certificate> certificates(String text, String file) {
    if (!text.contains("-----BEGIN CERTIFICATE-----")) {
      throw new UserError(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> certs = factory.generateCertificates(new ByteArrayInputStream(
          text.getBytes(StandardCharsets.US_ASCII))).stream().map(c -> (X509Certificate) c).toList();
      if (certs.isEmpty()) {
        throw new UserError(file + " holds no PEM certificate");
      }
      return certs;
    } catch (CertificateException e) {
      throw new UserError(file + " is not a readable PEM certificate: " + e.getMessage(), e);
    }
  }

  /** The PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}) of {@code file}: RSA, EC or Ed25519. */
  public static PrivateKey privateKey(Path file) {
    return privateKey(read(file, "private key"), file.toString());
  }

  /** The PKCS#8 private key of PEM {@code text}; {@code file} names where it came from in messages. */
  public static PrivateKey privateKey(String text, String file) {
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      switch (type) {
        case "PRIVATE KEY" -> {
          return pkcs8(file, Base64.getMimeDecoder().decode(m.group(2).strip()));
        }
        case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new UserError(file + " holds an " + type
            + " (the older format); convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
        case "ENCRYPTED PRIVATE KEY" -> throw new UserError(file + " holds an encrypted private key; Gantry reads "
            + "unencrypted PKCS#8 keys kept readable by the server alone (mode 0600): openssl pkcs8 -topk8 -nocrypt");
        default -> { }
      }
    }
    throw new UserError(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
  }

  /**
   * A key store holding {@code key} with the chain of {@code certificates}, for a TLS server;
   * refused when the key is not the first certificate's.
   */
  public static KeyStore keyStore(Path certificates, Path key) {
    List<X509Certificate> chain = certificates(certificates);
    PrivateKey privateKey = privateKey(key);
    requirePair(privateKey, chain.get(0).getPublicKey(), certificates, key);
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("gantry", privateKey, IN_MEMORY, chain.toArray(Certificate[]::new));
      return ks;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("an in-memory key store could not be made", e);
    }
  }

  /**
   * What a TLS client presents as its certificate: {@code key} with the chain of
   * {@code certificates}, refused as {@link #keyStore} refuses.
   *
   * <pre>{@code
   * SSLContext ssl = trust.sslContext(PemFiles.keyManagers(Path.of("agent.crt"), Path.of("agent.key")));
   * }</pre>
   */
  public static KeyManager[] keyManagers(Path certificates, Path key) {
    KeyStore ks = keyStore(certificates, key);
    try {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, IN_MEMORY);
      return kmf.getKeyManagers();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("in-memory key managers could not be made", e);
    }
  }

  /**
   * Trust managers believing exactly the certificates of {@code file}, for a TLS client
   * judging servers or a server judging clients.
   *
   * <pre>{@code
   * X509TrustManager trust = (X509TrustManager) PemFiles.trustManagers(Path.of("ca/ca.crt"))[0];
   * }</pre>
   */
  public static TrustManager[] trustManagers(Path file) {
    KeyStore trusted = trustStore(file);
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      return tmf.getTrustManagers();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("trust managers could not be made", e);
    }
  }

  /** A key store trusting each certificate of {@code file} (a CA's, or a server's own). */
  public static KeyStore trustStore(Path file) {
    List<X509Certificate> certs = certificates(file);
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      for (int i = 0; i < certs.size(); i++) {
        ks.setCertificateEntry("trusted-" + i, certs.get(i));
      }
      return ks;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("an in-memory trust store could not be made", e);
    }
  }

  private static PrivateKey pkcs8(String file, byte[] der) {
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
        // the next algorithm
      }
    }
    throw new UserError(file + " holds a private key Gantry cannot read (RSA, EC and Ed25519 keys are supported)");
  }

  /** Refuses a key that is not the certificate's, naming both files. */
  private static void requirePair(PrivateKey key, PublicKey pub, Path certFile, Path keyFile) {
    if (!isPair(key, pub)) {
      throw new UserError("the private key " + keyFile + " does not belong to the certificate " + certFile);
    }
  }

  /**
   * Whether {@code key} is the private half of {@code pub}: signs and verifies a few bytes, the
   * one check that works for every key type.
   */
  public static boolean isPair(PrivateKey key, PublicKey pub) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm();
    };
    try {
      byte[] probe = "gantry".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(pub);
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false; // a key of another type than the certificate's: not a pair either
    }
  }

  private static String read(Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new UserError("the " + what + " file " + file + " does not exist");
    } catch (IOException e) {
      throw new UserError("cannot read the " + what + " file " + file + ": " + e.getMessage(), e);
    }
  }
}

package dev.gantry.core.tls;

import dev.gantry.core.UserError;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Which servers a client of Gantry's (an agent, the command line) believes: the system's CAs,
 * only the team's CA ({@code --ca FILE}), or only a certificate with a known SHA-256
 * fingerprint ({@code --pin}). The server's name is checked against its certificate in every
 * case, as HTTPS does.
 *
 * <pre>{@code
 * HttpClient http = HttpClient.newBuilder().sslContext(ServerTrust.of(caFile, null).sslContext()).build();
 * }</pre>
 */
public sealed interface ServerTrust {

  /** The TLS context that trusts what this says. */
  default SSLContext sslContext() {
    return sslContext(null);
  }

  /**
   * The TLS context that trusts what this says and presents {@code identity} (a client
   * certificate, see {@link PemFiles#keyManagers}) to servers that ask for one; null for none.
   */
  SSLContext sslContext(KeyManager[] identity);

  /** What a refusal should tell the user to check. */
  String describe();

  /** The JVM's default trust store. */
  record SystemCas() implements ServerTrust {
    @Override
    public SSLContext sslContext(KeyManager[] identity) {
      try {
        if (identity == null) {
          return SSLContext.getDefault();
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null); // the JVM's default CAs
        return context(identity, tmf.getTrustManagers());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String describe() {
      return "the system's certificate authorities";
    }
  }

  /** Only certificates issued by the CAs of a PEM file. */
  record Ca(Path file) implements ServerTrust {
    @Override
    public SSLContext sslContext(KeyManager[] identity) {
      return context(identity, PemFiles.trustManagers(file));
    }

    @Override
    public String describe() {
      return "the CA in " + file;
    }
  }

  /** Only a server whose certificate (or one of its chain) has this SHA-256 fingerprint. */
  record Pin(String sha256) implements ServerTrust {
    public Pin {
      String hex = sha256.replace(":", "").toLowerCase(Locale.ROOT);
      if (!hex.matches("[0-9a-f]{64}")) {
        throw new UserError("--pin: '" + sha256 + "' is not a SHA-256 fingerprint (64 hex digits, colons allowed; "
            + "gantry ca init prints the CA's, openssl x509 -noout -fingerprint -sha256 any certificate's)");
      }
      sha256 = hex;
    }

    @Override
    public SSLContext sslContext(KeyManager[] identity) {
      return context(identity, new TrustManager[] {new PinningTrustManager(this)});
    }

    @Override
    public String describe() {
      return "the pinned fingerprint " + sha256;
    }
  }

  /** {@code caFile} or {@code pin} (at most one), else the system's CAs. */
  static ServerTrust of(Path caFile, String pin) {
    if (caFile != null && pin != null) {
      throw new UserError("--ca and --pin: give one of them");
    }
    if (caFile != null) {
      PemFiles.certificates(caFile); // a missing or unreadable file is said now, not at the first connection
      return new Ca(caFile);
    }
    return pin != null ? new Pin(pin) : new SystemCas();
  }

  /** The SHA-256 of a certificate's DER encoding, lower-case hex. */
  static String fingerprint(X509Certificate cert) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SSLContext context(KeyManager[] identity, TrustManager[] trust) {
    try {
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(identity, trust, null);
      return ssl;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Accepts a chain when one of its certificates has the pinned fingerprint and the server's
   * own is valid now. A plain (not extended) trust manager: the JDK wraps it and checks the
   * server's name against the certificate as for any HTTPS connection.
   */
  final class PinningTrustManager implements X509TrustManager {
    private final Pin pin;

    PinningTrustManager(Pin pin) {
      this.pin = pin;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      for (X509Certificate c : chain) {
        if (fingerprint(c).equals(pin.sha256())) {
          chain[0].checkValidity();
          return;
        }
      }
      throw new CertificateException("the server's certificate does not match the pinned fingerprint " + pin.sha256()
          + " (it presented " + fingerprint(chain[0]) + ")");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("a client's trust manager does not check clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}

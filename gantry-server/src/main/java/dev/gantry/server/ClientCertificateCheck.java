package dev.gantry.server;

import dev.gantry.core.tls.PemFiles;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Whether the certificate a client presented was issued by the CA the server requires
 * ({@code server.agent-client-ca}): the chain, its dates and its purpose (client
 * authentication) are checked as TLS would. TLS itself has already proved that the client
 * holds the certificate's key; the listener accepts any chain so that this check, done only on
 * the paths that need it, can say what is wrong in an answer rather than end the handshake.
 *
 * <pre>{@code
 * Optional<String> why = new ClientCertificateCheck(Path.of("ca/ca.crt")).refusal(chain);
 * }</pre>
 */
final class ClientCertificateCheck {
  static final String MISSING = "the server requires a client certificate: give --cert/--key issued by the team CA";

  private final Path caFile;
  private final List<X509Certificate> cas;
  private final X509TrustManager trust;

  /** Reads the CA now, so that a missing or unreadable file stops the server at its start. */
  ClientCertificateCheck(Path caFile) {
    this.caFile = caFile;
    this.cas = PemFiles.certificates(caFile);
    this.trust = Arrays.stream(PemFiles.trustManagers(caFile)).filter(X509TrustManager.class::isInstance)
        .map(X509TrustManager.class::cast).findFirst().orElseThrow();
  }

  /** Why a client presenting {@code chain} (null or empty: none) is refused; empty when it is not. */
  Optional<String> refusal(X509Certificate[] chain) {
    if (chain == null || chain.length == 0) {
      return Optional.of(MISSING);
    }
    try {
      trust.checkClientTrusted(chain, chain[0].getPublicKey().getAlgorithm());
      return Optional.empty();
    } catch (CertificateException e) {
      return Optional.of("the client certificate " + chain[0].getSubjectX500Principal().getName() + " (issued by "
          + chain[0].getIssuerX500Principal().getName() + ") is not one the CA in " + caFile
          + " issued for clients: " + rootMessage(e) + "; give --cert/--key issued by the team CA "
          + "(gantry ca issue NAME --client)");
    }
  }

  /**
   * The listener's trust for client certificates: any chain passes the handshake (see above),
   * and the CA is named in the handshake so clients pick a certificate it issued.
   */
  TrustManager[] handshakeTrust() {
    return new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // decided per path by refusal()
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a server's trust manager does not check servers");
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return cas.toArray(X509Certificate[]::new);
      }
    }};
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}

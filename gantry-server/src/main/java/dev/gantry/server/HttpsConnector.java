package dev.gantry.server;

import dev.gantry.core.tls.PemFiles;
import java.security.KeyStore;
import java.security.cert.CRL;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The server's one listener when it has a certificate: TLS 1.2 and 1.3 (Jetty's defaults),
 * HTTP/2 where the client offers it (ALPN) and HTTP/1.1 otherwise, and HSTS on every answer
 * so that a browser that came once never falls back to plain HTTP.
 *
 * <pre>{@code
 * Connector c = HttpsConnector.create(server, httpConfig, settings, Optional.empty());
 * }</pre>
 */
final class HttpsConnector {
  /** A year, as browsers' preload lists ask. */
  static final long HSTS_SECONDS = 365L * 24 * 3600;

  private HttpsConnector() {}

  /**
   * The connector; with {@code clientCheck}, clients are asked for a certificate (wanted, not
   * needed: browsers without one still reach the UI) and the paths that require one check it.
   */
  static Connector create(Server server, HttpConfiguration base, ServerSettings settings,
      Optional<ClientCertificateCheck> clientCheck) {
    ServerSettings.Tls tls = settings.tls().orElseThrow();
    SslContextFactory.Server ssl = clientCheck.isEmpty() ? new SslContextFactory.Server() : new SslContextFactory.Server() {
      @Override
      protected TrustManager[] getTrustManagers(KeyStore trustStore, Collection<? extends CRL> crls) {
        return clientCheck.get().handshakeTrust();
      }
    };
    ssl.setWantClientAuth(clientCheck.isPresent());
    ssl.setKeyStore(PemFiles.keyStore(tls.certificate(), tls.key()));
    ssl.setKeyStorePassword(new String(PemFiles.IN_MEMORY));
    ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);

    HttpConfiguration https = new HttpConfiguration(base);
    // clients reach the server by IP address as often as by name: no SNI to compare the Host with
    https.addCustomizer(new SecureRequestCustomizer(false, HSTS_SECONDS, false));
    https.getCustomizer(SecureRequestCustomizer.class).setSniHostCheck(false);

    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
    alpn.setDefaultProtocol("http/1.1");
    ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn,
        new HTTP2ServerConnectionFactory(https), new HttpConnectionFactory(https));
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    return connector;
  }
}

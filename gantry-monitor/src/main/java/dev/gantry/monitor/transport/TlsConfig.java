package dev.gantry.monitor.transport;

import dev.gantry.core.UserError;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS for the TCP listener: a PEM certificate chain and PKCS#8 key, and optionally a CA
 * whose certificates clients must present (client-certificate authentication).
 *
 * <pre>{@code
 * new TlsConfig(Path.of("server.crt"), Path.of("server.key"), Path.of("clients-ca.crt"))
 * }</pre>
 */
public record TlsConfig(Path certificate, Path privateKey, Path clientCa) {
  SslContext context() {
    for (Path p : new Path[] {certificate, privateKey, clientCa}) {
      if (p != null && !Files.isReadable(p)) {
        throw new UserError("monitor TLS: cannot read " + p);
      }
    }
    try {
      // TLS 1.2: riemann-c-client (and so collectd's write_riemann) fails on the session
      // tickets a TLS 1.3 server sends after the handshake
      SslContextBuilder b = SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile()).protocols("TLSv1.2");
      if (clientCa != null) {
        b.trustManager(clientCa.toFile()).clientAuth(ClientAuth.REQUIRE);
      }
      return b.build();
    } catch (Exception e) {
      throw new UserError("monitor TLS: cannot use " + certificate + " and " + privateKey + ": " + e.getMessage(), e);
    }
  }
}

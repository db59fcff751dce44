package dev.gantry.ci.agent;

import dev.gantry.core.UserError;
import dev.gantry.core.tls.PemFiles;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManager;

/**
 * The certificate an agent presents to a server that requires one ({@code server.agent-client-ca}),
 * a second factor beside the agent token: PEM files as {@code gantry ca issue NAME --client}
 * writes them. Read when made, so a missing file or a key of another certificate stops the
 * agent at its start.
 *
 * <pre>{@code
 * Optional<ClientCertificate> c = ClientCertificate.of(Path.of("builder-1.crt"), Path.of("builder-1.key"));
 * }</pre>
 */
public record ClientCertificate(Path certificate, Path key, X509Certificate leaf, KeyManager[] keyManagers) {

  /** The certificate of {@code certificate} and {@code key} (both or neither: then empty). */
  public static Optional<ClientCertificate> of(Path certificate, Path key) {
    if (certificate == null && key == null) {
      return Optional.empty();
    }
    if (certificate == null || key == null) {
      throw new UserError("--cert and --key go together: give the client certificate and its key (gantry ca issue "
          + "NAME --client writes both)");
    }
    KeyManager[] managers = PemFiles.keyManagers(certificate, key);
    return Optional.of(new ClientCertificate(certificate, key, PemFiles.certificates(certificate).get(0), managers));
  }

  /** Who the certificate names and who issued it, for messages. */
  public String describe() {
    return leaf.getSubjectX500Principal().getName() + " (issued by " + leaf.getIssuerX500Principal().getName() + ")";
  }
}

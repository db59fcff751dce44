package dev.gantry.host.ca;

import dev.gantry.core.UserError;
import dev.gantry.core.tls.PemFiles;
import dev.gantry.host.ca.CertificateAuthority.Issued;
import dev.gantry.host.property.SecretRef;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The team's CA as its vault entry keeps it: the private key, then the CA certificate, both
 * PEM, so that a spin issuing certificates for hosts (on the machine it runs on) has both from
 * one entry.
 *
 * <pre>{@code
 * vault.set(TeamCa.VAULT_ENTRY, TeamCa.vaultEntry(ca).getBytes(US_ASCII));
 * Issued ca = TeamCa.fromVaultEntry(new String(vault.get(TeamCa.VAULT_ENTRY, decryptor), UTF_8));
 * }</pre>
 */
public final class TeamCa {
  /** The vault entry: {@code gantry-ca-key} for {@code any}. */
  public static final SecretRef VAULT_ENTRY = SecretRef.of("gantry-ca-key", "any");

  private TeamCa() {}

  /** What the vault entry holds for {@code ca}. */
  public static String vaultEntry(Issued ca) {
    return ca.keyPem() + ca.certificatePem();
  }

  /** The CA of a vault entry's text; a clear error when it lacks the certificate or they do not match. */
  public static Issued fromVaultEntry(String text) {
    String where = "the vault entry " + VAULT_ENTRY.field();
    PrivateKey key = PemFiles.privateKey(text, where);
    if (!text.contains("-----BEGIN CERTIFICATE-----")) {
      throw new UserError(where + " holds the CA's key but not its certificate (a CA made by an earlier gantry ca "
          + "init); add it, in the infrastructure repository: gantry vault get " + VAULT_ENTRY.field() + " "
          + VAULT_ENTRY.context() + " | cat - ca/ca.crt | gantry vault set " + VAULT_ENTRY.field() + " "
          + VAULT_ENTRY.context());
    }
    // the JDK reads certificates only from where they start
    List<X509Certificate> certs = PemFiles.certificates(text.substring(text.indexOf("-----BEGIN CERTIFICATE-----")), where);
    if (!PemFiles.isPair(key, certs.get(0).getPublicKey())) {
      throw new UserError("the key in " + where + " does not belong to the certificate beside it");
    }
    return new Issued(certs.get(0), key);
  }
}

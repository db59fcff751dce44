package dev.gantry.deploy.secrets;

import dev.gantry.host.property.SecretRef;
import dev.gantry.host.vault.Decryptor;
import dev.gantry.host.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Secrets for services' environments from the infra repository's vault
 * ({@code gantry vault set FIELD CONTEXT}). A service's {@code secret("DB_PASSWORD", "db-password")}
 * reads field {@code db-password} in context {@code any}; {@code "db-password@prod.example.com"}
 * names the context.
 *
 * <pre>{@code
 * SecretSource secrets = new VaultSecrets(Path.of("."), new GpgDecryptor());
 * }</pre>
 */
public final class VaultSecrets implements SecretSource {
  static final String ANY = "any";

  private final Vault vault;
  private final Decryptor decryptor;

  public VaultSecrets(Path infraRepo, Decryptor decryptor) {
    this.vault = Vault.open(infraRepo);
    this.decryptor = decryptor;
  }

  @Override
  public Optional<String> secret(String key) {
    SecretRef ref = ref(key);
    if (!vault.has(ref)) {
      return Optional.empty();
    }
    return vault.find(ref, decryptor).map(b -> stripFinalNewline(new String(b, StandardCharsets.UTF_8)));
  }

  static SecretRef ref(String key) {
    int at = key.lastIndexOf('@');
    return at < 0 ? SecretRef.of(key, ANY) : SecretRef.of(key.substring(0, at), key.substring(at + 1));
  }

  // `echo value | gantry vault set` stores the newline; an environment value should not carry it
  private static String stripFinalNewline(String s) {
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }
}

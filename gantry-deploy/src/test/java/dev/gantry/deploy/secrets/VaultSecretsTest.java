package dev.gantry.deploy.secrets;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.host.property.SecretRef;
import dev.gantry.host.testing.Gpg;
import dev.gantry.host.vault.GpgDecryptor;
import dev.gantry.host.vault.Keyring;
import dev.gantry.host.vault.Vault;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Service secrets come from the real vault, decrypted with real gpg. */
@Tag("integration")
class VaultSecretsTest {
  @TempDir Path repo;

  @Test
  void readsFieldsInContextAnyOrNamedContext() throws Exception {
    try (Gpg alice = Gpg.withKey("Alice", "alice@example.org")) {
      Vault v = Vault.open(repo);
      v.addKeys(Keyring.parse(new ByteArrayInputStream(alice.publicKey().getBytes(UTF_8)), "alice"), null);
      v.set(SecretRef.of("db-password", "any"), "s3cret\n".getBytes(UTF_8));
      v.set(SecretRef.of("db-password", "prod.example.com"), "prod-s3cret".getBytes(UTF_8));

      VaultSecrets secrets = new VaultSecrets(repo, new GpgDecryptor(alice.home()));
      assertThat(secrets.secret("db-password")).hasValue("s3cret");
      assertThat(secrets.secret("db-password@prod.example.com")).hasValue("prod-s3cret");
      assertThat(secrets.secret("api-key")).isEmpty();
    }
  }
}

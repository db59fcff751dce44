package dev.gantry.host.vault;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.host.cli.VaultCommand;
import dev.gantry.host.property.SecretRef;
import dev.gantry.host.testing.Cli;
import dev.gantry.host.testing.Gpg;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vault against real gpg: entries it writes decrypt with gpg; removed keys lose access. */
@Tag("integration")
class VaultTest {
  static Gpg alice;
  static Gpg bob;

  @TempDir
  Path repo;

  @BeforeAll
  static void keys() {
    alice = Gpg.withKey("Alice", "alice@example.org");
    bob = Gpg.withKey("Bob", "bob@example.org");
  }

  @AfterAll
  static void cleanup() {
    if (alice != null) {
      alice.close();
    }
    if (bob != null) {
      bob.close();
    }
  }

  private Cli.Run vault(String stdin, String... args) {
    InputStream in = new ByteArrayInputStream(stdin.getBytes(UTF_8));
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--infra";
    all[args.length + 1] = repo.toString();
    return Cli.run(new VaultCommand(in), all);
  }

  @Test
  void entriesDecryptWithGpgAndRemovedKeysLoseAccess() throws Exception {
    assertThat(vault(alice.publicKey(), "add-key", "-").code()).isZero();
    Cli.Run set = vault("s3cret-value", "set", "db-password", "prod.example.com");
    assertThat(set.code()).as(set.err()).isZero();
    Path entry = repo.resolve("vault/prod.example.com/db-password.gpg");
    assertThat(new String(Files.readAllBytes(entry), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("s3cret");
    assertThat(alice.decrypt(entry).stdout()).isEqualTo("s3cret-value");

    Path aliceKey = alice.secretKeyFile();
    Cli.Run add = vault(bob.publicKey(), "add-key", "-", "--secret-key", aliceKey.toString());
    assertThat(add.code()).as(add.err()).isZero();
    assertThat(add.out()).contains("Bob <bob@example.org>", "re-encrypted 1 entries for 2 keys");
    assertThat(bob.decrypt(entry).stdout()).isEqualTo("s3cret-value");
    assertThat(alice.decrypt(entry).stdout()).isEqualTo("s3cret-value");

    Cli.Run remove = vault("", "remove-key", alice.fingerprint(), "--secret-key", bob.secretKeyFile().toString());
    assertThat(remove.code()).as(remove.err()).isZero();
    assertThat(remove.out()).contains("The removed key still decrypts every earlier version of these entries, in git's"
        + " history", "  " + SecretRef.of("db-password", "prod.example.com").setCommand());
    assertThat(alice.decrypt(entry).ok()).isFalse();
    assertThat(bob.decrypt(entry).stdout()).isEqualTo("s3cret-value");
    assertThat(Files.readString(repo.resolve("vault/keyring.asc"))).contains("BEGIN PGP PUBLIC KEY BLOCK");

    Cli.Run last = vault("", "remove-key", "bob@example.org", "--secret-key", bob.secretKeyFile().toString());
    assertThat(last.code()).isEqualTo(1);
    assertThat(last.err()).contains("will not remove the last key");
  }

  @Test
  void getWithGpgOrAKeyFileAndEditWithAnEditor() throws Exception {
    Vault v = Vault.open(repo);
    v.addKeys(Keyring.parse(new ByteArrayInputStream(alice.publicKey().getBytes(UTF_8)), "alice"), null);
    v.set(SecretRef.of("token", "any"), "abc".getBytes(UTF_8));
    assertThat(new String(v.get(SecretRef.of("token", "any"), new GpgDecryptor(alice.home())), UTF_8)).isEqualTo("abc");
    Cli.Run get = vault("", "get", "token", "any", "--secret-key", alice.secretKeyFile().toString());
    assertThat(get.out()).isEqualTo("abc");
    Cli.Run edit = vault("", "edit", "token", "any", "--editor", "sed -i s/abc/xyz/",
        "--secret-key", alice.secretKeyFile().toString());
    assertThat(edit.code()).as(edit.err()).isZero();
    assertThat(alice.decrypt(repo.resolve("vault/any/token.gpg")).stdout()).isEqualTo("xyz");
    assertThat(new String(v.get(SecretRef.of("token", "any"), KeyFileDecryptor.read(alice.secretKeyFile(), "")),
        UTF_8)).isEqualTo("xyz");
    Cli.Run wrongKey = vault("", "get", "token", "any", "--secret-key", bob.secretKeyFile().toString());
    assertThat(wrongKey.code()).isEqualTo(1);
    assertThat(wrongKey.err()).contains("not encrypted to the given secret key");
  }

  @Test
  void listShowsUsersAndMissingSecretsWithTheCommandToSetThem() throws Exception {
    Files.createDirectories(repo.resolve("infra"));
    Files.writeString(repo.resolve("infra/Infra.java"), """
        import dev.gantry.core.infra.*;
        import dev.gantry.host.lib.*;
        import dev.gantry.host.property.SecretRef;
        import dev.gantry.core.target.FileAttrs;
        public class Infra implements InfrastructureDefinition {
          public void define(Infrastructure i) {
            i.host("db1").with(File.hasSecret("/etc/db.pw", SecretRef.forHost("db-password"), FileAttrs.KEEP));
            i.host("web1").with(File.hasSecret("/etc/hook", SecretRef.of("slack-webhook", "any"), FileAttrs.KEEP));
            i.host("web2").with(File.hasSecret("/etc/hook", SecretRef.of("slack-webhook", "any"), FileAttrs.KEEP));
          }
        }
        """);
    vault(alice.publicKey(), "add-key", "-");
    vault("https://hooks.example/x", "set", "slack-webhook", "any");
    Cli.Run list = vault("", "list");
    assertThat(list.code()).isEqualTo(1);
    assertThat(list.out()).contains("present", "slack-webhook", "web1,web2");
    assertThat(list.out()).contains("missing", "db-password", "db1", "-> gantry vault set db-password db1");
    Cli.Run json = vault("", "list", "--json");
    assertThat(json.out()).contains("\"status\":\"missing\"", "\"set\":\"gantry vault set db-password db1\"");
  }

  @Test
  void badInputIsRefusedClearly() {
    assertThat(vault("x", "set", "db-password", "prod").err()).contains("the vault keyring has no keys");
    assertThat(vault("x", "set", "../escape", "prod").err()).contains("vault field '../escape' is not valid");
    assertThat(vault("not a key", "add-key", "-").err()).contains("not an OpenPGP public key");
    assertThat(vault("", "add-key", "/no/such/file").err()).contains("no such key file");
    assertThat(vault("", "get", "nothing", "any").err()).contains("gantry vault set nothing any");
    assertThat(vault("", "set", "only-one-arg").code()).isEqualTo(2);
    assertThat(Files.exists(repo.resolve("vault/prod"))).isFalse();
  }
}

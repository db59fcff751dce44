package dev.gantry.host.vault;

import dev.gantry.core.UserError;
import dev.gantry.host.property.SecretRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * Secrets in the infrastructure repository: one OpenPGP file per entry at
 * {@code vault/<context>/<field>.gpg}, encrypted to every key of {@code vault/keyring.asc},
 * so two people adding different secrets never touch the same file. {@code gpg --decrypt}
 * reads an entry with any of those keys.
 *
 * <pre>{@code
 * Vault v = Vault.open(Path.of("."));
 * v.set(SecretRef.of("db-password", "prod.example.com"), "s3cret".getBytes(UTF_8));
 * byte[] b = v.get(SecretRef.of("db-password", "prod.example.com"), new GpgDecryptor());
 * }</pre>
 */
public final class Vault {
  private final Path dir;

  private Vault(Path dir) {
    this.dir = dir;
  }

  /** The vault of the infrastructure repository at {@code repo} (its {@code vault/} folder). */
  public static Vault open(Path repo) {
    return new Vault(repo.resolve("vault"));
  }

  public Path keyringFile() {
    return dir.resolve("keyring.asc");
  }

  public Keyring keyring() {
    return Keyring.read(keyringFile());
  }

  public Path file(SecretRef ref) {
    if (SecretRef.HOST.equals(ref.context())) {
      throw new IllegalArgumentException("resolve " + ref + " to a host first");
    }
    return dir.resolve(ref.context()).resolve(ref.field() + ".gpg");
  }

  public boolean has(SecretRef ref) {
    return Files.isRegularFile(file(ref));
  }

  /** Every entry, sorted by context then field. */
  public List<SecretRef> entries() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir, 2)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".gpg") && dir.relativize(p).getNameCount() == 2)
          .map(p -> SecretRef.of(p.getFileName().toString().replaceFirst("\\.gpg$", ""),
              p.getParent().getFileName().toString()))
          .sorted(java.util.Comparator.comparing(SecretRef::context).thenComparing(SecretRef::field))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stores {@code value}, encrypted to every key of the keyring. */
  public void set(SecretRef ref, byte[] value) {
    write(file(ref), OpenPgp.encrypt(value, ref.field(), keyring()));
  }

  /** The entry's value, or a {@link UserError} with the command that sets it. */
  public byte[] get(SecretRef ref, Decryptor decryptor) {
    return find(ref, decryptor).orElseThrow(() -> new UserError("secret '" + ref.field() + "' (context '"
        + ref.context() + "') is not in the vault; set it with: " + ref.setCommand()));
  }

  public Optional<byte[]> find(SecretRef ref, Decryptor decryptor) {
    Path f = file(ref);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(decryptor.decrypt(Files.readAllBytes(f), "vault entry " + dir.getParent().relativize(f)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds public keys to the keyring and re-encrypts every entry to include them. */
  public List<PGPPublicKeyRing> addKeys(List<PGPPublicKeyRing> keys, Decryptor decryptor) {
    if (keys.isEmpty()) {
      throw new UserError("no public key given");
    }
    for (PGPPublicKeyRing k : keys) {
      Keyring.encryptionKey(k);
    }
    Keyring next = keyring().with(keys);
    reencrypt(next, decryptor);
    return keys;
  }

  /** Removes a key and re-encrypts every entry without it, so it can no longer read them. */
  public PGPPublicKeyRing removeKey(String id, Decryptor decryptor) {
    Keyring current = keyring();
    PGPPublicKeyRing ring = current.find(id);
    Keyring next = current.without(ring);
    if (next.isEmpty() && !entries().isEmpty()) {
      throw new UserError("will not remove the last key: nobody could read the vault's " + entries().size()
          + " entries any more");
    }
    reencrypt(next, decryptor);
    return ring;
  }

  /** Decrypts every entry first (nothing changes if one fails), then writes them for the new keyring. */
  private void reencrypt(Keyring next, Decryptor decryptor) {
    List<SecretRef> refs = entries();
    List<byte[]> plain = new ArrayList<>();
    for (SecretRef r : refs) {
      plain.add(get(r, decryptor));
    }
    List<byte[]> cipher = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      cipher.add(OpenPgp.encrypt(plain.get(i), refs.get(i).field(), next));
    }
    next.write(keyringFile());
    for (int i = 0; i < refs.size(); i++) {
      write(file(refs.get(i)), cipher.get(i));
    }
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.gantry.host.vault;

import dev.gantry.core.UserError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/**
 * The public keys vault entries are encrypted to, kept in the repository as one armored
 * file ({@code vault/keyring.asc}).
 */
public final class Keyring {
  private final List<PGPPublicKeyRing> rings;

  private Keyring(List<PGPPublicKeyRing> rings) {
    this.rings = List.copyOf(rings);
  }

  public static Keyring empty() {
    return new Keyring(List.of());
  }

  public static Keyring read(Path file) {
    if (!Files.isRegularFile(file)) {
      return empty();
    }
    try (InputStream in = Files.newInputStream(file)) {
      return new Keyring(parse(in, file.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses armored or binary public keys (e.g. the output of {@code gpg --armor --export}). */
  public static List<PGPPublicKeyRing> parse(InputStream in, String where) {
    try {
      PGPPublicKeyRingCollection c = new PGPPublicKeyRingCollection(PGPUtil.getDecoderStream(in),
          new BcKeyFingerprintCalculator());
      List<PGPPublicKeyRing> out = new ArrayList<>();
      c.getKeyRings().forEachRemaining(out::add);
      if (out.isEmpty()) {
        throw new PGPException("no key found");
      }
      return out;
    } catch (IOException | PGPException | RuntimeException e) {
      throw new UserError(where + " is not an OpenPGP public key (export one with gpg --armor --export KEY): "
          + e.getMessage());
    }
  }

  public List<PGPPublicKeyRing> rings() {
    return rings;
  }

  public boolean isEmpty() {
    return rings.isEmpty();
  }

  /** A keyring with {@code more} added (a key already present is replaced by the newer copy). */
  public Keyring with(List<PGPPublicKeyRing> more) {
    List<PGPPublicKeyRing> out = new ArrayList<>();
    for (PGPPublicKeyRing r : rings) {
      if (more.stream().noneMatch(m -> fingerprint(m).equals(fingerprint(r)))) {
        out.add(r);
      }
    }
    out.addAll(more);
    return new Keyring(out);
  }

  /** The one key matching {@code id} (a fingerprint, a key id suffix, or text in its user id). */
  public PGPPublicKeyRing find(String id) {
    String norm = id.replace(" ", "").toUpperCase(Locale.ROOT);
    List<PGPPublicKeyRing> hits = rings.stream().filter(r -> {
      String fp = fingerprint(r);
      return norm.length() >= 8 && fp.endsWith(norm) || userIds(r).stream().anyMatch(u -> u.contains(id));
    }).toList();
    if (hits.size() != 1) {
      throw new UserError((hits.isEmpty() ? "no key" : hits.size() + " keys") + " in the vault keyring match '" + id
          + "'; keys: " + describeAll());
    }
    return hits.get(0);
  }

  public Keyring without(PGPPublicKeyRing ring) {
    return new Keyring(rings.stream().filter(r -> !fingerprint(r).equals(fingerprint(ring))).toList());
  }

  public void write(Path file) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ArmoredOutputStream armor = ArmoredOutputStream.builder().build(bytes)) {
        for (PGPPublicKeyRing r : rings) {
          r.encode(armor);
        }
      }
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, bytes.toByteArray());
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The key of a ring that encrypts: a valid encryption subkey (or primary). */
  static PGPPublicKey encryptionKey(PGPPublicKeyRing ring) {
    PGPPublicKey found = null;
    Iterator<PGPPublicKey> it = ring.getPublicKeys();
    while (it.hasNext()) {
      PGPPublicKey k = it.next();
      if (k.isEncryptionKey() && !k.hasRevocation() && !expired(k)) {
        found = k;
      }
    }
    if (found == null) {
      throw new UserError("key " + describe(ring) + " has no usable encryption key");
    }
    return found;
  }

  private static boolean expired(PGPPublicKey k) {
    long secs = k.getValidSeconds();
    return secs > 0 && k.getCreationTime().getTime() + secs * 1000 < System.currentTimeMillis();
  }

  public static String fingerprint(PGPPublicKeyRing r) {
    return HexFormat.of().withUpperCase().formatHex(r.getPublicKey().getFingerprint());
  }

  static List<String> userIds(PGPPublicKeyRing r) {
    List<String> out = new ArrayList<>();
    r.getPublicKey().getUserIDs().forEachRemaining(out::add);
    return out;
  }

  public static String describe(PGPPublicKeyRing r) {
    List<String> ids = userIds(r);
    return fingerprint(r) + (ids.isEmpty() ? "" : " " + ids.get(0));
  }

  public String describeAll() {
    return rings.isEmpty() ? "none" : String.join(", ", rings.stream().map(Keyring::describe).toList());
  }

  static Keyring fromBytes(byte[] b) {
    return new Keyring(parse(new ByteArrayInputStream(b), "key"));
  }
}

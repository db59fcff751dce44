package dev.gantry.host.vault;

import dev.gantry.core.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;

/** OpenPGP encryption (Bouncy Castle) of a value to every key of a keyring, as gpg reads it. */
final class OpenPgp {
  private static final SecureRandom RANDOM = new SecureRandom();

  private OpenPgp() {}

  static byte[] encrypt(byte[] plain, String name, Keyring keyring) {
    if (keyring.isEmpty()) {
      throw new UserError("the vault keyring has no keys; add yours first: gpg --armor --export YOU"
          + " | gantry vault add-key -");
    }
    try {
      PGPEncryptedDataGenerator gen = new PGPEncryptedDataGenerator(
          new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true)
              .setSecureRandom(RANDOM));
      for (PGPPublicKeyRing ring : keyring.rings()) {
        gen.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(Keyring.encryptionKey(ring)).setSecureRandom(RANDOM));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (OutputStream enc = gen.open(out, new byte[1 << 16])) {
        PGPLiteralDataGenerator lit = new PGPLiteralDataGenerator();
        try (OutputStream l = lit.open(enc, PGPLiteralData.BINARY, name, plain.length, new Date(0))) {
          l.write(plain);
        }
      }
      return out.toByteArray();
    } catch (PGPException e) {
      throw new IllegalStateException("OpenPGP encryption failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

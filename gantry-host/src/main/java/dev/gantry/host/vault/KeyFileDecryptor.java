package dev.gantry.host.vault;

import dev.gantry.core.UserError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;

/**
 * Decrypts with Bouncy Castle from an exported secret key file
 * ({@code gpg --armor --export-secret-keys KEY}), for machines without a gpg agent such
 * as CI. The passphrase, if any, comes from the caller (e.g. an environment variable).
 *
 * <pre>{@code
 * Decryptor d = KeyFileDecryptor.read(Path.of("ci-key.asc"), System.getenv("GANTRY_VAULT_PASSPHRASE"));
 * }</pre>
 */
public final class KeyFileDecryptor implements Decryptor {
  private final PGPSecretKeyRingCollection keys;
  private final char[] passphrase;

  private KeyFileDecryptor(PGPSecretKeyRingCollection keys, char[] passphrase) {
    this.keys = keys;
    this.passphrase = passphrase;
  }

  public static KeyFileDecryptor read(Path file, String passphrase) {
    try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
      return new KeyFileDecryptor(new PGPSecretKeyRingCollection(in, new BcKeyFingerprintCalculator()),
          passphrase == null ? new char[0] : passphrase.toCharArray());
    } catch (IOException | PGPException e) {
      throw new UserError(file + " is not an OpenPGP secret key (export one with gpg --armor --export-secret-keys):"
          + " " + e.getMessage());
    }
  }

  @Override
  public byte[] decrypt(byte[] message, String what) {
    try {
      PGPObjectFactory f = new PGPObjectFactory(PGPUtil.getDecoderStream(new ByteArrayInputStream(message)),
          new BcKeyFingerprintCalculator());
      Object o = f.nextObject();
      while (o instanceof PGPMarker) {
        o = f.nextObject();
      }
      if (!(o instanceof PGPEncryptedDataList list)) {
        throw new UserError(what + " is not an OpenPGP encrypted message");
      }
      for (Object e : list) {
        if (e instanceof PGPPublicKeyEncryptedData pked) {
          PGPSecretKey sk = keys.getSecretKey(pked.getKeyID());
          if (sk == null) {
            continue;
          }
          PGPPrivateKey pk = sk.extractPrivateKey(
              new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(passphrase));
          byte[] plain = literal(pked.getDataStream(new BcPublicKeyDataDecryptorFactory(pk)), what);
          if (!pked.isIntegrityProtected() || !pked.verify()) {
            throw new UserError(what + " failed its integrity check");
          }
          return plain;
        }
      }
      throw new UserError("cannot decrypt " + what + ": it is not encrypted to the given secret key");
    } catch (PGPException e) {
      throw new UserError("cannot decrypt " + what + ": " + e.getMessage()
          + (e.getMessage() != null && e.getMessage().contains("checksum") ? " (wrong passphrase?)" : ""));
    } catch (IOException e) {
      throw new UserError("cannot decrypt " + what + ": " + e.getMessage());
    }
  }

  private static byte[] literal(InputStream clear, String what) throws IOException, PGPException {
    PGPObjectFactory f = new PGPObjectFactory(clear, new BcKeyFingerprintCalculator());
    Object o = f.nextObject();
    if (o instanceof PGPCompressedData c) {
      f = new PGPObjectFactory(c.getDataStream(), new BcKeyFingerprintCalculator());
      o = f.nextObject();
    }
    if (!(o instanceof PGPLiteralData lit)) {
      throw new UserError(what + " holds no data");
    }
    try (InputStream in = lit.getInputStream()) {
      return in.readAllBytes();
    }
  }
}

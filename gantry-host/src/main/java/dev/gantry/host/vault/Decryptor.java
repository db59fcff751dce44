package dev.gantry.host.vault;

/**
 * Opens vault entries with a private key: {@link GpgDecryptor} (the user's gpg and agent)
 * or {@link KeyFileDecryptor} (an exported secret key, for CI).
 */
@FunctionalInterface
public interface Decryptor {
  /** The plaintext of an OpenPGP message; {@code what} names it in errors. */
  byte[] decrypt(byte[] message, String what);
}

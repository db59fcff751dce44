package dev.gantry.core.infra;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Recognises files that hold a private key, so that no commit Gantry makes ever carries
 * one: by name (OpenSSH's {@code id_*} without {@code .pub}, {@code *.key}) or by content (a
 * PEM, OpenSSH or OpenPGP private key block near the start of the file).
 *
 * <pre>{@code
 * PrivateKeyFiles.looksLikeOne(Path.of("keys/vh"));   // true for an ssh-keygen private key
 * }</pre>
 */
public final class PrivateKeyFiles {
  private static final Pattern NAME = Pattern.compile("id_(rsa|dsa|ecdsa|ed25519)(_sk)?|.*\\.key");
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----|-----BEGIN PGP PRIVATE KEY BLOCK-----");
  /** Enough of a file to find a key block after a comment or two. */
  private static final int HEAD = 4096;

  private PrivateKeyFiles() {}

  public static boolean looksLikeOne(Path file) {
    if (NAME.matcher(file.getFileName().toString()).matches()) {
      return true;
    }
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      String head = new String(in.readNBytes(HEAD), StandardCharsets.ISO_8859_1);
      return BLOCK.matcher(head).find();
    } catch (IOException e) {
      return false; // unreadable here: git could not read it either
    }
  }
}

package dev.gantry.host.vault;

import dev.gantry.core.UserError;
import dev.gantry.core.process.Command;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * Decrypts with the {@code gpg} command, so keys stay in the user's keyring and agent
 * (passphrases asked by pinentry). {@code GNUPGHOME} is honoured as gpg does.
 */
public final class GpgDecryptor implements Decryptor {
  private final java.nio.file.Path home;

  /** gpg with its usual home ({@code GNUPGHOME} or ~/.gnupg). */
  public GpgDecryptor() {
    this(null);
  }

  /** gpg with the given home directory. */
  public GpgDecryptor(java.nio.file.Path home) {
    this.home = home;
  }

  @Override
  public byte[] decrypt(byte[] message, String what) {
    ProcessBuilder pb = new ProcessBuilder(List.of("gpg", "--batch", "--quiet", "--no-tty", "--decrypt"));
    if (home != null) {
      pb.environment().put("GNUPGHOME", home.toString());
    }
    try {
      Process p = pb.start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread to = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
      Thread te = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
      try (var os = p.getOutputStream()) {
        os.write(message);
      }
      if (!p.waitFor(Duration.ofMinutes(5).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new UserError("gpg did not finish decrypting " + what);
      }
      to.join();
      te.join();
      if (p.exitValue() != 0) {
        throw new UserError("cannot decrypt " + what + " with gpg (is your key in the vault's keyring?): "
            + err.toString().strip());
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UserError("cannot run gpg to decrypt " + what + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted decrypting " + what);
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when a gpg binary is on the PATH. */
  public static boolean available() {
    return Command.of("gpg", "--version").timeout(Duration.ofSeconds(10)).attempt().ok();
  }
}

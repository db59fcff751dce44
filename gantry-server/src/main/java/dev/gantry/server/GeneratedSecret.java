package dev.gantry.server;

import dev.gantry.core.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A random secret kept in a file of its own (mode 0600), made on first use: the admin token,
 * the CI hook secret, the agent token when none is configured.
 *
 * <pre>{@code
 * GeneratedSecret s = GeneratedSecret.loadOrCreate(dataDir.resolve("ci/agent-token"), "the agent token");
 * }</pre>
 *
 * @param created true when this call made the file (so the caller may show it once)
 */
public record GeneratedSecret(String value, boolean created, Path file) {
  private static final int MIN_LENGTH = 16;

  @Override
  public String toString() {
    return "GeneratedSecret[file=" + file + ", created=" + created + "]";
  }

  /** Reads the secret from {@code file}, creating the file (and its folder) when absent. */
  public static GeneratedSecret loadOrCreate(Path file, String what) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      if (Files.exists(file)) {
        String v = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (v.length() < MIN_LENGTH) {
          throw new UserError(file + ": " + what + " is shorter than " + MIN_LENGTH
              + " characters; delete the file to generate a new one");
        }
        return new GeneratedSecret(v, false, file);
      }
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      String v = HexFormat.of().formatHex(bytes);
      Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, v + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return new GeneratedSecret(v, true, file);
    } catch (IOException e) {
      throw new UserError("cannot read or create " + what + " in " + file + ": " + e.getMessage(), e);
    }
  }
}

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
 * The admin token kept in the data directory ({@code admin-token}, mode 0600).
 *
 * <p>Generated on first start; {@link #created()} tells the caller to show it once.
 *
 * <pre>{@code
 * AdminToken t = AdminToken.loadOrCreate(dataDir);
 * if (t.created()) System.out.println("admin token: " + t.value());
 * }</pre>
 */
public record AdminToken(String value, boolean created, Path file) {
  static final String FILE = "admin-token";

  @Override
  public String toString() {
    return "AdminToken[file=" + file + ", created=" + created + "]";
  }

  /** Reads the token from {@code dataDir/admin-token}, creating it when absent. */
  public static AdminToken loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      Files.createDirectories(dataDir);
      if (Files.exists(file)) {
        String v = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (v.length() < 16) {
          throw new UserError(file + ": the admin token is shorter than 16 characters; delete the file to generate a new one");
        }
        return new AdminToken(v, false, file);
      }
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      String v = HexFormat.of().formatHex(bytes);
      Path tmp = Files.createTempFile(dataDir, ".admin-token", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, v + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return new AdminToken(v, true, file);
    } catch (IOException e) {
      throw new UserError("cannot read or create the admin token in " + dataDir + ": " + e.getMessage(), e);
    }
  }
}

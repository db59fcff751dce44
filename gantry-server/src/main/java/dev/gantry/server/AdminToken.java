package dev.gantry.server;

import java.nio.file.Path;

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
    GeneratedSecret s = GeneratedSecret.loadOrCreate(dataDir.resolve(FILE), "the admin token");
    return new AdminToken(s.value(), s.created(), s.file());
  }
}

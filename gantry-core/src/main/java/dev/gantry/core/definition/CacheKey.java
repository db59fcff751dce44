package dev.gantry.core.definition;

import dev.gantry.core.Gantry;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name of a compiled definition in the cache: a SHA-256 over the sources (paths and
 * contents), the Gantry version, the Java feature release and the jars it is compiled
 * against, so a changed source or an upgraded Gantry compiles afresh.
 */
final class CacheKey {
  private CacheKey() {}

  static String of(Sources sources, String classPath) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      text(sha, "gantry " + Gantry.version() + " java " + Runtime.version().feature());
      for (String entry : classPath.split(File.pathSeparator)) {
        Path p = Path.of(entry);
        // a rebuilt jar (same version during development) changes size or time
        text(sha, entry + (Files.isRegularFile(p) ? " " + Files.size(p) + " " + Files.getLastModifiedTime(p) : ""));
      }
      for (Path file : sources.files()) {
        text(sha, sources.relative(file));
        sha.update(Files.readAllBytes(file));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new DefinitionException(new Problem(sources.root(), 0, 0, "cannot read: " + e.getMessage()), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static void text(MessageDigest sha, String s) {
    sha.update(s.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
  }
}

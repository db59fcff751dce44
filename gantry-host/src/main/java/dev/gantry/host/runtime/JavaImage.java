package dev.gantry.host.runtime;

import dev.gantry.core.UserError;
import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java runtime sent to hosts: a {@code jlink} image of the JDK running Gantry with only
 * {@code java.base} (the host side needs nothing more; definitions arrive compiled), its
 * modules compressed, the VM's symbols stripped and the files only tools use removed, so
 * that it stays small on every host (about 37 MB). No class-data archive: the default one
 * alone is 14 MB, for a start-up gain of tens of milliseconds. Built once and cached locally.
 *
 * <pre>{@code
 * RuntimeArtifact java = JavaImage.ensure(Path.of(System.getProperty("user.home"), ".cache/gantry/runtime"));
 * }</pre>
 */
public final class JavaImage {
  /** Modules Gantry's host runtime uses. */
  public static final List<String> MODULES = List.of("java.base");
  private static final List<String> OPTIONS = List.of("--strip-debug", "--no-header-files", "--no-man-pages",
      "--compress=zip-9");
  /**
   * Files of an image the host side never uses: the jrt file system (for IDEs), the class
   * list (for making a CDS archive), the public-suffix list (HTTP cookies) and the vector
   * sort library (Arrays.sort falls back to Java without it).
   */
  private static final List<String> UNUSED = List.of("lib/jrt-fs.jar", "lib/classlist",
      "lib/security/public_suffix_list.dat", "lib/libsimdsort.so");

  private JavaImage() {}

  public static RuntimeArtifact ensure(Path cacheDir) {
    String key = Hashing.of(System.getProperty("java.home") + "|" + System.getProperty("java.runtime.version") + "|"
        + MODULES + "|" + OPTIONS + "|" + UNUSED).substring(0, 16);
    Path archive = cacheDir.resolve("java-" + key + ".tar.gz");
    Path idFile = cacheDir.resolve("java-" + key + ".id");
    try (CacheLock lock = CacheLock.take(cacheDir)) {
      if (Files.isRegularFile(archive) && Files.isRegularFile(idFile)) {
        return new RuntimeArtifact(Files.readString(idFile).strip(), archive);
      }
      Path jlink = jlink();
      List<String> modules = available(jlink, MODULES);
      Path work = Files.createTempDirectory(cacheDir, "jlink-");
      try {
        List<String> cmd = new ArrayList<>(List.of(jlink.toString(), "--add-modules", String.join(",", modules)));
        cmd.addAll(OPTIONS);
        cmd.addAll(List.of("--output", work.resolve("image").toString()));
        must(Command.of(cmd).timeout(Duration.ofMinutes(10)).attempt(), "jlink");
        slim(work.resolve("image"));
        Path tmp = work.resolve("image.tar.gz");
        must(Command.of("tar", "-czf", tmp.toString(), "-C", work.resolve("image").toString(), ".")
            .timeout(Duration.ofMinutes(10)).attempt(), "tar");
        String id = "java-" + Hashing.of(tmp).substring(0, 20);
        Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(idFile, id + "\n");
        return new RuntimeArtifact(id, archive);
      } finally {
        Command.of("rm", "-rf", work.toString()).timeout(Duration.ofMinutes(1)).attempt();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes what the host never uses; strips the VM's symbols when binutils' strip is here. */
  private static void slim(Path image) throws IOException {
    for (String f : UNUSED) {
      Files.deleteIfExists(image.resolve(f));
    }
    Path libjvm = image.resolve("lib/server/libjvm.so");
    if (Files.isRegularFile(libjvm)) {
      // without strip the image is only larger
      Command.of("strip", "--strip-all", libjvm.toString()).timeout(Duration.ofMinutes(2)).attempt();
    }
  }

  private static Path jlink() {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of(System.getProperty("java.home"), "bin", "jlink"));
    String jdk = System.getenv("GANTRY_JDK");
    if (jdk != null) {
      candidates.add(0, Path.of(jdk, "bin", "jlink"));
    }
    return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new UserError(
        "cannot build the host runtime: no jlink in " + candidates + "; run Gantry on a JDK (21+) or set GANTRY_JDK"));
  }

  private static List<String> available(Path jlink, List<String> wanted) {
    ProcessResult r = Command.of(jlink.getParent().resolve("java").toString(), "--list-modules")
        .timeout(Duration.ofMinutes(1)).attempt();
    List<String> have = r.stdout().lines().map(l -> l.split("@")[0].strip()).toList();
    return wanted.stream().filter(have::contains).toList();
  }

  private static void must(ProcessResult r, String what) {
    if (!r.ok()) {
      throw new UserError(what + " failed building the host runtime: " + r.tail());
    }
  }
}

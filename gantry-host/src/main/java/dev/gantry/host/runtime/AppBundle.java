package dev.gantry.host.runtime;

import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Gantry's code for hosts: one jar with only the classes the host side can run (Gantry's
 * own, without the parts that only run on this machine, and SLF4J's API), taken from the
 * running class path (the shaded jar, or the modules' folders in a build) and written the
 * same way every time, so its id, a hash of its content, changes only when that code does:
 * a new Gantry build that leaves the host side alone uploads nothing.
 *
 * <pre>{@code
 * RuntimeArtifact app = AppBundle.ensure(cacheDir, AppBundle.currentClassPath());
 * }</pre>
 */
public final class AppBundle {
  /** The jar on the host; its manifest starts {@code RemoteMain}. */
  public static final String LAUNCHER = "gantry-host.jar";
  /**
   * Gantry's packages that never run on a host besides every module's {@code cli} (see
   * {@link #forHosts}): the server, CI, and the spin's own local side (SSH client, planning,
   * this runtime builder, the vault's decryption).
   */
  private static final List<String> LOCAL_ONLY = List.of("dev/gantry/server/", "dev/gantry/ci/",
      "dev/gantry/host/ssh/", "dev/gantry/host/spin/", "dev/gantry/host/runtime/", "dev/gantry/host/vault/");
  private static final FileTime EPOCH = FileTime.fromMillis(315532800000L);

  private AppBundle() {}

  /** The class path this JVM runs with. */
  public static List<Path> currentClassPath() {
    List<Path> out = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!e.isBlank() && Files.exists(Path.of(e))) {
        out.add(Path.of(e).toAbsolutePath());
      }
    }
    return out;
  }

  /** Whether a class-path entry (a path inside a jar or class folder) goes to hosts. */
  static boolean forHosts(String entry) {
    if (!entry.endsWith(".class") || entry.startsWith("META-INF/")) {
      return false;
    }
    if (entry.startsWith("org/slf4j/")) {
      return true;
    }
    return entry.startsWith("dev/gantry/") && !entry.contains("/cli/") && LOCAL_ONLY.stream().noneMatch(entry::startsWith);
  }

  public static RuntimeArtifact ensure(Path cacheDir, List<Path> classPath) {
    try (CacheLock lock = CacheLock.take(cacheDir)) {
      // the ids of class paths seen before, by file names, sizes and times: no hashing on a hit
      Path index = cacheDir.resolve("app-index").resolve(Hashing.of(statFingerprint(classPath)).substring(0, 32));
      if (Files.isRegularFile(index)) {
        String known = Files.readString(index).strip();
        Path archive = cacheDir.resolve(known + ".tar.gz");
        if (Files.isRegularFile(archive)) {
          return new RuntimeArtifact(known, archive);
        }
      }
      RuntimeArtifact built = build(cacheDir, classPath);
      Files.createDirectories(index.getParent());
      Files.writeString(index, built.id() + "\n");
      prune(cacheDir);
      return built;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Keeps the five newest bundles; index entries of removed ones fall back to building. */
  private static void prune(Path cacheDir) throws IOException {
    try (Stream<Path> s = Files.list(cacheDir)) {
      List<Path> bundles = s.filter(p -> p.getFileName().toString().matches("app-[0-9a-f]+\\.tar\\.gz"))
          .sorted(java.util.Comparator.comparing((Path p) -> p.toFile().lastModified()).reversed()).toList();
      for (Path old : bundles.subList(Math.min(5, bundles.size()), bundles.size())) {
        Files.deleteIfExists(old);
      }
    }
  }

  private static String statFingerprint(List<Path> classPath) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Path entry : classPath) {
      sb.append(entry).append(' ');
      if (Files.isDirectory(entry)) {
        try (Stream<Path> files = Files.walk(entry)) {
          for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
            sb.append(entry.relativize(p)).append(':').append(Files.size(p)).append(':')
                .append(Files.getLastModifiedTime(p).toMillis()).append(' ');
          }
        }
      } else {
        sb.append(Files.size(entry)).append(':').append(Files.getLastModifiedTime(entry).toMillis());
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static RuntimeArtifact build(Path cacheDir, List<Path> classPath) throws IOException {
    Path work = Files.createTempDirectory(cacheDir, "bundle-");
    try {
      Path dir = Files.createDirectories(work.resolve("app"));
      Path jar = dir.resolve(LAUNCHER);
      writeJar(jar, classesForHosts(classPath));
      String id = "app-" + Hashing.of(jar).substring(0, 20);
      Path archive = cacheDir.resolve(id + ".tar.gz");
      if (Files.isRegularFile(archive)) {
        return new RuntimeArtifact(id, archive);
      }
      Path tmp = work.resolve("app.tar.gz");
      ProcessResult r = Command.of("tar", "-czf", tmp.toString(), "-C", dir.toString(), LAUNCHER)
          .timeout(Duration.ofMinutes(10)).attempt();
      if (!r.ok()) {
        throw new dev.gantry.core.UserError("tar failed packing Gantry's code for the host runtime: " + r.tail());
      }
      Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING);
      return new RuntimeArtifact(id, archive);
    } finally {
      Command.of("rm", "-rf", work.toString()).timeout(Duration.ofMinutes(1)).attempt();
    }
  }

  /** Entry name to content, sorted; the first class-path entry that has a name wins, as for a class loader. */
  private static Map<String, byte[]> classesForHosts(List<Path> classPath) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    for (Path entry : classPath) {
      if (Files.isDirectory(entry)) {
        try (Stream<Path> files = Files.walk(entry)) {
          for (Path p : files.filter(Files::isRegularFile).toList()) {
            String name = entry.relativize(p).toString().replace('\\', '/');
            if (forHosts(name) && !out.containsKey(name)) {
              out.put(name, Files.readAllBytes(p));
            }
          }
        }
      } else if (entry.toString().endsWith(".jar")) {
        try (JarFile jar = new JarFile(entry.toFile())) {
          for (JarEntry e : java.util.Collections.list(jar.entries())) {
            if (!e.isDirectory() && forHosts(e.getName()) && !out.containsKey(e.getName())) {
              try (InputStream in = jar.getInputStream(e)) {
                out.put(e.getName(), in.readAllBytes());
              }
            }
          }
        }
      }
    }
    return out;
  }

  /** A jar with sorted entries and fixed times, so the same classes make the same bytes. */
  private static void writeJar(Path jar, Map<String, byte[]> entries) throws IOException {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.gantry.host.remote.RemoteMain");
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os)) {
      JarEntry manifest = new JarEntry(JarFile.MANIFEST_NAME);
      manifest.setLastModifiedTime(EPOCH);
      j.putNextEntry(manifest);
      m.write(j);
      j.closeEntry();
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        JarEntry je = new JarEntry(e.getKey());
        je.setLastModifiedTime(EPOCH);
        j.putNextEntry(je);
        j.write(e.getValue());
        j.closeEntry();
      }
    }
  }
}

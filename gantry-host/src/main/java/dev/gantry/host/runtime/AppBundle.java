package dev.gantry.host.runtime;

import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Gantry's own code for hosts: every entry of the running class path (jars as they are,
 * class folders packed into jars) plus a launcher jar whose manifest names them in order
 * and starts {@code RemoteMain}. Its id is a hash of the contents, so a host that has it
 * gets nothing uploaded.
 *
 * <pre>{@code
 * RuntimeArtifact app = AppBundle.ensure(cacheDir, AppBundle.currentClassPath());
 * }</pre>
 */
public final class AppBundle {
  public static final String LAUNCHER = "gantry-launch.jar";
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

  /** Keeps the five newest bundles; index entries of removed ones fall back to hashing. */
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

  private static RuntimeArtifact build(Path cacheDir, List<Path> classPath) {
    try {
      List<String> names = new ArrayList<>();
      StringBuilder fingerprint = new StringBuilder();
      for (int i = 0; i < classPath.size(); i++) {
        Path entry = classPath.get(i);
        String base = entry.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        String name = String.format("%03d-%s", i, base.endsWith(".jar") ? base : base + ".jar");
        names.add(name);
        fingerprint.append(name).append(' ').append(contentHash(entry)).append('\n');
      }
      String id = "app-" + Hashing.of(fingerprint.toString()).substring(0, 20);
      Path archive = cacheDir.resolve(id + ".tar.gz");
      if (Files.isRegularFile(archive)) {
        return new RuntimeArtifact(id, archive);
      }
      Path work = Files.createTempDirectory(cacheDir, "bundle-");
      try {
        Path lib = Files.createDirectories(work.resolve("lib"));
        for (int i = 0; i < classPath.size(); i++) {
          Path entry = classPath.get(i);
          Path dest = lib.resolve(names.get(i));
          if (Files.isDirectory(entry)) {
            jarDirectory(entry, dest);
          } else {
            Files.copy(entry, dest);
          }
        }
        writeLauncher(lib.resolve(LAUNCHER), names);
        Path tmp = work.resolve("app.tar.gz");
        ProcessResult r = Command.of("tar", "-czf", tmp.toString(), "-C", lib.toString(), ".")
            .timeout(Duration.ofMinutes(10)).attempt();
        if (!r.ok()) {
          throw new dev.gantry.core.UserError("tar failed packing Gantry's jars for the host runtime: " + r.tail());
        }
        Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING);
        return new RuntimeArtifact(id, archive);
      } finally {
        Command.of("rm", "-rf", work.toString()).timeout(Duration.ofMinutes(1)).attempt();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A jar's hash, or for a class folder the hash of its sorted paths and file hashes. */
  private static String contentHash(Path entry) throws IOException {
    if (!Files.isDirectory(entry)) {
      return Hashing.of(entry);
    }
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.walk(entry)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        sb.append(entry.relativize(p)).append(' ').append(Hashing.of(p)).append('\n');
      }
    }
    return Hashing.of(sb.toString());
  }

  private static void writeLauncher(Path jar, List<String> names) throws IOException {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.gantry.host.remote.RemoteMain");
    m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", names));
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os, m)) {
      j.flush();
    }
  }

  /** Packs a class folder into a jar with sorted entries and fixed times, so equal folders hash equal. */
  private static void jarDirectory(Path dir, Path jar) throws IOException {
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os);
         Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        JarEntry e = new JarEntry(dir.relativize(p).toString().replace('\\', '/'));
        e.setLastModifiedTime(EPOCH);
        j.putNextEntry(e);
        Files.copy(p, j);
        j.closeEntry();
      }
    }
  }
}

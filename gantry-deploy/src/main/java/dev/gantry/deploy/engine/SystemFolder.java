package dev.gantry.deploy.engine;

import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.Target;
import dev.gantry.deploy.generate.GeneratedFile;
import dev.gantry.deploy.generate.SystemFiles;
import dev.gantry.deploy.layout.Layout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The generated files of a system on its host: writes a new set, keeps the set that ran
 * before in {@code previous/} so an automatic rollback starts exactly what ran, and stages
 * a set in a scratch folder so tools can check it before anything changes.
 */
final class SystemFolder {
  /** Where releases before the front's own folder kept its configuration; cleaned up by the next write. */
  private static final String LEGACY_NGINX = "nginx.conf";

  private final Target exec;
  private final Layout layout;

  SystemFolder(Target exec, Layout layout) {
    this.exec = exec;
    this.layout = layout;
  }

  /** Relative paths of the files Gantry manages that exist now. */
  List<String> managed(String dir) {
    List<String> out = new ArrayList<>();
    for (String f : List.of(SystemFiles.COMPOSE, SystemFiles.STACK, SystemFiles.NGINX, LEGACY_NGINX)) {
      if (exec.exists(dir + "/" + f)) {
        out.add(f);
      }
    }
    for (String s : exec.list(dir + "/secrets")) {
      out.add("secrets/" + s);
    }
    return out;
  }

  Optional<String> read(String relative) {
    return exec.read(layout.dir() + "/" + relative).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  /** Writes {@code files} into a fresh scratch folder and returns its path. */
  String stage(List<GeneratedFile> files) {
    String dir = layout.dir() + "/.staging-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    for (GeneratedFile f : files) {
      exec.writeMakingFolders(dir + "/" + f.relativePath(), f.bytes(), FileAttrs.secretIf(f.secret()));
    }
    return dir;
  }

  /**
   * Copies the staged front configuration {@code stagedConf} into the front's own folder
   * under a scratch name, so the running front can check it; returns that name, or null
   * when there is no front folder yet (an older layout, or none deployed).
   */
  String stageFront(String stagedConf) {
    if (stagedConf == null || !exec.exists(layout.dir() + "/" + SystemFiles.FRONT_DIR)) {
      return null;
    }
    String name = ".check-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24)) + ".conf";
    exec.writeMakingFolders(layout.dir() + "/" + SystemFiles.FRONT_DIR + "/" + name, exec.read(stagedConf).orElseThrow(), FileAttrs.mode(0644));
    return name;
  }

  void discardFront(String name) {
    exec.delete(layout.dir() + "/" + SystemFiles.FRONT_DIR + "/" + name);
  }

  void discard(String stagingDir) {
    exec.delete(stagingDir);
  }

  /** Copies the current files to {@code previous/}; returns false when there were none. */
  boolean saveAsPrevious() {
    List<String> now = managed(layout.dir());
    exec.delete(layout.previousDir());
    if (now.isEmpty()) {
      return false;
    }
    for (String f : now) {
      byte[] b = exec.read(layout.dir() + "/" + f).orElseThrow();
      exec.writeMakingFolders(layout.previousDir() + "/" + f, b, FileAttrs.secretIf(f.startsWith("secrets/")));
    }
    return true;
  }

  /** Replaces the managed files by {@code files}. */
  void write(List<GeneratedFile> files) {
    List<String> keep = files.stream().map(GeneratedFile::relativePath).toList();
    for (String f : managed(layout.dir())) {
      if (!keep.contains(f)) {
        exec.delete(layout.dir() + "/" + f);
      }
    }
    for (GeneratedFile f : files) {
      exec.writeMakingFolders(layout.dir() + "/" + f.relativePath(), f.bytes(), FileAttrs.secretIf(f.secret()));
    }
  }

  /** Rewrites the front's configuration alone, for a switch. */
  void writeFront(String config) {
    exec.writeMakingFolders(layout.dir() + "/" + SystemFiles.NGINX, config.getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0644));
  }

  /** The files saved by {@link #saveAsPrevious()}. */
  List<GeneratedFile> previous() {
    List<GeneratedFile> files = new ArrayList<>();
    for (String f : managed(layout.previousDir())) {
      byte[] b = exec.read(layout.previousDir() + "/" + f).orElseThrow();
      files.add(new GeneratedFile(f, new String(b, StandardCharsets.UTF_8), f.startsWith("secrets/")));
    }
    return files;
  }

  /** Puts back the files saved by {@link #saveAsPrevious()}. */
  void restorePrevious() {
    write(previous());
  }
}

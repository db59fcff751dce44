package dev.gantry.core.definition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Java sources of a definition: one file, or every {@code .java} file under a folder
 * (hidden folders such as {@code .git} below it are skipped).
 *
 * @param root the file or folder as the user named it
 * @param files the source files, sorted, each as {@code root} resolved with its relative path
 */
record Sources(Path root, List<Path> files) {

  static Sources find(Path root) {
    if (!Files.exists(root)) {
      throw new DefinitionException(List.of(new Problem(root, 0, 0, "no such file or folder")));
    }
    if (Files.isRegularFile(root)) {
      if (!root.getFileName().toString().endsWith(".java")) {
        throw new DefinitionException(List.of(new Problem(root, 0, 0, "not a Java source file (.java)")));
      }
      return new Sources(root, List.of(root));
    }
    try (Stream<Path> walk = Files.walk(root)) {
      List<Path> files = walk
          .filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".java"))
          .filter(p -> !hidden(root.relativize(p)))
          .sorted()
          .toList();
      if (files.isEmpty()) {
        throw new DefinitionException(List.of(new Problem(root, 0, 0, "no .java files in this folder")));
      }
      return new Sources(root, files);
    } catch (IOException | UncheckedIOException e) {
      throw new DefinitionException(new Problem(root, 0, 0, "cannot read: " + e.getMessage()), e);
    }
  }

  private static boolean hidden(Path relative) {
    for (int i = 0; i < relative.getNameCount() - 1; i++) {
      if (relative.getName(i).toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** The path of {@code file} relative to the root, with '/' (the file name when the root is a file). */
  String relative(Path file) {
    Path r = Files.isDirectory(root) ? root.relativize(file) : file.getFileName();
    return r.toString().replace('\\', '/');
  }

  /** The user's view of a source given relative to the root. */
  Path resolve(String relative) {
    return Files.isDirectory(root) ? root.resolve(relative) : root;
  }
}

package dev.gantry.host.definition;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Compiled definitions stored as files: the class name, then each class's name and bytes. */
final class DefinitionCache {
  private static final int MAGIC = 0x47444631;

  private DefinitionCache() {}

  static Optional<CompiledDefinition> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
      if (in.readInt() != MAGIC) {
        return Optional.empty();
      }
      String main = in.readUTF();
      int n = in.readInt();
      Map<String, byte[]> classes = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        classes.put(name, b);
      }
      return Optional.of(new CompiledDefinition(main, classes));
    } catch (IOException e) {
      // a damaged entry is compiled again
      return Optional.empty();
    }
  }

  static void write(Path file, CompiledDefinition d) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "def-", ".tmp");
      try (OutputStream raw = Files.newOutputStream(tmp); DataOutputStream out = new DataOutputStream(raw)) {
        out.writeInt(MAGIC);
        out.writeUTF(d.className());
        out.writeInt(d.classes().size());
        for (var e : d.classes().entrySet()) {
          out.writeUTF(e.getKey());
          out.writeInt(e.getValue().length);
          out.write(e.getValue());
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // caching is an optimisation: the definition was compiled and is used anyway
    }
  }
}

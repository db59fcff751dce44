package dev.gantry.monitor.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.core.UserError;
import dev.gantry.core.json.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Keeps the alert book in a JSON file, replaced atomically (write, sync, rename) on every
 * change, so a restart resumes with the same firing alerts and silences and sends no
 * duplicate notifications.
 *
 * <pre>{@code
 * AlertStore store = new AlertStore(dataDir.resolve("alerts.json"));
 * book.restore(store.load());
 * }</pre>
 */
public final class AlertStore {
  private static final ObjectMapper JSON = Json.mapper();

  private final Path file;

  public AlertStore(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The saved state, or an empty one when the file does not exist yet. */
  public AlertBook.State load() {
    if (!Files.exists(file)) {
      return new AlertBook.State(List.of(), List.of(), Map.of());
    }
    try {
      return JSON.readValue(file.toFile(), AlertBook.State.class);
    } catch (IOException e) {
      throw new UserError(file + ": cannot read the alert states: " + e.getMessage(), e);
    }
  }

  public void save(AlertBook.State state) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    byte[] bytes = Json.pretty().writeValueAsBytes(state);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}

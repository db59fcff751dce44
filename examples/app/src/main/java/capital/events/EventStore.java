package capital.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The application's data: an append-only file of events, one JSON line each, written with
 * an fsync before the request is answered. Opening a store written by a newer schema than
 * this release knows is refused: reading events it does not understand would lose data.
 *
 * <pre>{@code
 * EventStore store = EventStore.open(Path.of("/data/events"));
 * store.append(Event.now("UserLoggedIn", "alice@example.com", Map.of()));
 * store.since(Instant.EPOCH);
 * }</pre>
 */
public final class EventStore {
  private final Path file;

  private EventStore(Path file) {
    this.file = file;
  }

  public static EventStore open(Path dir) {
    try {
      Files.createDirectories(dir);
      EventStore s = new EventStore(dir.resolve("events.log"));
      for (Event e : s.all()) {
        if (e.schema() > Schema.VERSION) {
          throw new IllegalStateException(dir + " holds events of schema " + e.schema() + " (" + e.type() + " at " + e.at()
              + "); this release reads schema " + Schema.VERSION + " at most: roll forward instead");
        }
      }
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public synchronized void append(Event e) {
    byte[] line = (e.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(line));
      ch.force(false);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  public synchronized List<Event> all() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      List<Event> out = new ArrayList<>();
      int n = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(Event.parse(line));
        } catch (RuntimeException bad) {
          throw new IllegalStateException(file + ":" + n + ": " + bad.getMessage(), bad);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Events written at or after {@code since}, oldest first. */
  public List<Event> since(Instant since) {
    return all().stream().filter(e -> !e.at().isBefore(since)).toList();
  }

  /** Rewrites every event through {@code change}, replacing the file atomically. */
  public synchronized void rewrite(UnaryOperator<Event> change) {
    List<Event> events = all();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    StringBuilder b = new StringBuilder();
    events.forEach(e -> b.append(change.apply(e).toJson()).append('\n'));
    try {
      Files.writeString(tmp, b, StandardCharsets.UTF_8);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

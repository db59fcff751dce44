package dev.gantry.deploy.ledger;

import dev.gantry.core.UserError;
import dev.gantry.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger as a JSON-lines file. Each append rewrites the file to a temporary sibling,
 * forces it to disk and renames it over the old one, under an exclusive file lock, so a
 * crash leaves either the old ledger or the new one, never a torn line.
 *
 * <pre>{@code
 * Ledger ledger = new JsonLinesLedger(Path.of("/var/lib/gantry/deploy/ledger.jsonl"));
 * }</pre>
 */
public final class JsonLinesLedger implements Ledger {
  private final Path file;
  private List<Object> readVersion;
  private List<ReleaseRecord> readRecords = List.of();

  public JsonLinesLedger(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  @SuppressWarnings("try") // the lock is held for the block's duration
  @Override
  public synchronized ReleaseRecord append(ReleaseRecord r) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
      try (FileChannel lockCh = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = lockCh.lock()) {
        List<ReleaseRecord> existing = read();
        ReleaseRecord numbered = r.withSeq(existing.isEmpty() ? 1 : existing.get(existing.size() - 1).seq() + 1);
        byte[] old = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        byte[] line = (Json.mapper().writeValueAsString(numbered) + "\n").getBytes(StandardCharsets.UTF_8);
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
          ch.write(java.nio.ByteBuffer.wrap(old));
          ch.write(java.nio.ByteBuffer.wrap(line));
          ch.force(true);
        }
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return numbered;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing the release ledger " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized List<ReleaseRecord> all() {
    try {
      return read();
    } catch (IOException e) {
      throw new UncheckedIOException("reading the release ledger " + file + ": " + e.getMessage(), e);
    }
  }

  private List<ReleaseRecord> read() throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    // a command reads the ledger several times; each append replaces the file (a new inode)
    BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
    List<Object> version = java.util.Arrays.asList(attrs.fileKey(), attrs.size(), attrs.lastModifiedTime());
    if (version.equals(readVersion)) {
      return readRecords;
    }
    List<ReleaseRecord> out = new ArrayList<>();
    int n = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      try {
        out.add(Json.mapper().readValue(line, ReleaseRecord.class));
      } catch (IOException e) {
        throw new UserError(file + ":" + n + ": not a ledger entry: " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    readVersion = version;
    readRecords = List.copyOf(out);
    return readRecords;
  }
}

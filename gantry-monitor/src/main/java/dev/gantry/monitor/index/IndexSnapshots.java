package dev.gantry.monitor.index;

import dev.gantry.core.UserError;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.proto.MalformedMessageException;
import dev.gantry.monitor.client.proto.Msg;
import dev.gantry.monitor.client.proto.MsgCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Saves the index to a file and reads it back: a magic header, then chunks of events in
 * the Riemann wire format, each with its length. Written to a temporary file, synced, then
 * renamed, so a crash leaves the previous snapshot intact.
 *
 * <pre>{@code
 * IndexSnapshots.save(dir.resolve("index.snapshot"), index.events());
 * List<Event> back = IndexSnapshots.load(dir.resolve("index.snapshot"));
 * }</pre>
 */
public final class IndexSnapshots {
  private static final byte[] MAGIC = "GANTRY-INDEX-1\n".getBytes(StandardCharsets.US_ASCII);
  private static final int CHUNK = 1000;
  private static final int MAX_CHUNK_BYTES = 256 << 20;

  private IndexSnapshots() {}

  /** Writes {@code events} to {@code file} atomically and returns how many were written. */
  public static int save(Path file, Collection<Event> events) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    int count = 0;
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16))) {
      out.write(MAGIC);
      List<Event> chunk = new ArrayList<>(CHUNK);
      for (Event e : events) {
        chunk.add(e);
        if (chunk.size() == CHUNK) {
          count += writeChunk(out, chunk);
        }
      }
      count += writeChunk(out, chunk);
      out.flush();
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return count;
  }

  private static int writeChunk(DataOutputStream out, List<Event> chunk) throws IOException {
    if (chunk.isEmpty()) {
      return 0;
    }
    byte[] bytes = MsgCodec.encode(Msg.ofEvents(chunk));
    out.writeInt(bytes.length);
    out.write(bytes);
    int n = chunk.size();
    chunk.clear();
    return n;
  }

  /**
   * The events saved in {@code file}; an empty list when it does not exist. A damaged file
   * fails with a {@link UserError} naming the file and offset.
   */
  public static List<Event> load(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<Event> events = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      byte[] magic = in.readNBytes(MAGIC.length);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new UserError(file + ": not a Gantry index snapshot (bad header)");
      }
      long offset = MAGIC.length;
      while (true) {
        int len;
        try {
          len = in.readInt();
        } catch (EOFException end) {
          return events;
        }
        if (len < 0 || len > MAX_CHUNK_BYTES) {
          throw new UserError(file + ": damaged snapshot, chunk length " + len + " at offset " + offset);
        }
        byte[] buf = in.readNBytes(len);
        if (buf.length < len) {
          throw new UserError(file + ": damaged snapshot, truncated chunk at offset " + offset);
        }
        try {
          events.addAll(MsgCodec.decode(buf, 0, len, 0).events());
        } catch (MalformedMessageException e) {
          throw new UserError(file + ": damaged snapshot at offset " + offset + ": " + e.getMessage());
        }
        offset += 4 + len;
      }
    }
  }
}

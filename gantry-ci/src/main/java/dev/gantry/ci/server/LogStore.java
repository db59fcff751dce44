package dev.gantry.ci.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Run logs: appended as the agent streams them (capped per run), compressed when the run
 * ends, followed live by the run page, deleted when old.
 *
 * <pre>{@code
 * logs.append(17, "compiling...\n");
 * logs.subscribe(17, chunk -> sse.send(chunk));
 * logs.finish(17);               // -> 17.log.gz
 * }</pre>
 */
public final class LogStore {
  /** Sent to followers when the run's log is complete. */
  public static final String END = "\u0000end";

  private final Path dir;
  private final long cap;
  private final Map<Long, Long> sizes = new ConcurrentHashMap<>();
  private final Map<Long, Long> nextSeq = new ConcurrentHashMap<>();
  private final Map<Long, List<Consumer<String>>> followers = new ConcurrentHashMap<>();

  public LogStore(Path dir, long capBytes) {
    this.dir = dir;
    this.cap = capBytes;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the log folder " + dir, e);
    }
  }

  private Path raw(long run) {
    return dir.resolve(run + ".log");
  }

  private Path gz(long run) {
    return dir.resolve(run + ".log.gz");
  }

  /** Appends text to a running run's log; past the cap, one marker line and nothing more. */
  /**
   * Appends chunk {@code seq} of an agent's stream (numbered from 0): one sent again (a retry)
   * is dropped, and a gap is said in the log where chunks were lost on the way. The first
   * chunk this server sees of a run sets where it starts (after a restart of the server).
   */
  public synchronized void append(long run, long seq, String text) {
    Long expected = nextSeq.get(run);
    if (expected != null && seq < expected) {
      return;
    }
    if (expected != null && seq > expected) {
      append(run, "[gantry] " + (seq - expected) + " part(s) of this log were lost on the way from the agent\n");
    }
    nextSeq.put(run, seq + 1);
    append(run, text);
  }

  public synchronized void append(long run, String text) {
    if (Files.exists(gz(run))) {
      return; // finished: late chunks are dropped
    }
    long size = sizes.computeIfAbsent(run, r -> Files.exists(raw(r)) ? raw(r).toFile().length() : 0L);
    if (size >= cap) {
      return;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    String out = text;
    if (size + bytes.length > cap) {
      int keep = (int) (cap - size);
      out = new String(bytes, 0, keep, StandardCharsets.UTF_8) + "\n[log truncated: more than " + cap + " bytes]\n";
      bytes = out.getBytes(StandardCharsets.UTF_8);
      size = cap;
    } else {
      size += bytes.length;
    }
    sizes.put(run, size);
    try {
      Files.write(raw(run), bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the log of run " + run, e);
    }
    String chunk = out;
    followers.getOrDefault(run, List.of()).forEach(f -> f.accept(chunk));
  }

  /** Compresses the log of a run that ended and tells its followers. */
  public synchronized void finish(long run) {
    nextSeq.remove(run);
    Path r = raw(run);
    try {
      if (Files.exists(r)) {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz(run)))) {
          Files.copy(r, out);
        }
        Files.delete(r);
      } else if (!Files.exists(gz(run))) {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz(run)))) {
          out.flush();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot compress the log of run " + run, e);
    }
    sizes.remove(run);
    List<Consumer<String>> fs = followers.remove(run);
    if (fs != null) {
      fs.forEach(f -> f.accept(END));
    }
  }

  public boolean finished(long run) {
    return Files.exists(gz(run));
  }

  /** The whole log so far (empty when there is none). */
  public synchronized String read(long run) {
    try {
      if (Files.exists(gz(run))) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz(run)))) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return Files.exists(raw(run)) ? Files.readString(raw(run)) : "";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the log of run " + run, e);
    }
  }

  /**
   * Sends the log so far, then each new chunk, then {@link #END}; returns the function that
   * stops following.
   */
  public synchronized Runnable follow(long run, Consumer<String> follower) {
    follower.accept(read(run));
    if (finished(run)) {
      follower.accept(END);
      return () -> {};
    }
    followers.computeIfAbsent(run, r -> new CopyOnWriteArrayList<>()).add(follower);
    return () -> followers.computeIfPresent(run, (r, list) -> {
      list.remove(follower);
      return list.isEmpty() ? null : list;
    });
  }

  /** Deletes logs last written before {@code now - keep}, except those of {@code inUse}; returns how many. */
  public synchronized int collectGarbage(Instant now, Duration keep, Set<Long> inUse) {
    int removed = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        String id = name.replaceAll("\\.log(\\.gz)?$", "");
        if (!id.matches("\\d+") || inUse.contains(Long.parseLong(id))) {
          continue;
        }
        if (Files.getLastModifiedTime(f).toInstant().isBefore(now.minus(keep))) {
          Files.deleteIfExists(f);
          removed++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean the log folder " + dir, e);
    }
    return removed;
  }
}

package dev.gantry.host.apply;

import dev.gantry.core.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The per-host lock that keeps two runs from applying properties at once. It is an
 * fcntl lock held by the process, so the kernel releases it when the process dies
 * (killed spin, dropped connection): a stale lock file never blocks the next run. The
 * file records the holder's pid for the message a waiting run prints.
 *
 * <pre>{@code
 * try (HostLock lock = HostLock.acquire(Path.of("/var/lib/gantry/lock"), Duration.ofSeconds(30))) { ... }
 * }</pre>
 */
public final class HostLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private HostLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock, waiting up to {@code wait}; a {@link UserError} naming the holder otherwise. */
  public static HostLock acquire(Path file, Duration wait) {
    try {
      Files.createDirectories(file.getParent());
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      long deadline = System.nanoTime() + wait.toNanos();
      while (true) {
        FileLock l = ch.tryLock();
        if (l != null) {
          ch.truncate(0);
          ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
          ch.force(false);
          return new HostLock(ch, l);
        }
        if (System.nanoTime() > deadline) {
          String holder = Files.readString(file).strip();
          ch.close();
          throw new UserError("another gantry run (pid " + (holder.isEmpty() ? "unknown" : holder)
              + ") is applying properties on this host and holds " + file + "; try again when it has finished");
        }
        Thread.sleep(100);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while waiting for " + file);
    }
  }

  @Override
  public void close() {
    try {
      channel.truncate(0);
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // the kernel drops the lock with the descriptor anyway
    }
  }
}

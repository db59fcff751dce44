package dev.gantry.host.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Serializes building cache entries across processes (and threads of this one). */
final class CacheLock implements AutoCloseable {
  private static final Object IN_PROCESS = new Object();
  private final FileChannel ch;
  private final FileLock lock;

  private CacheLock(FileChannel ch, FileLock lock) {
    this.ch = ch;
    this.lock = lock;
  }

  static CacheLock take(Path dir) {
    synchronized (IN_PROCESS) {
      try {
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        return new CacheLock(ch, ch.lock());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock the runtime cache " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      ch.close();
    } catch (IOException ignored) {
      // released with the descriptor
    }
  }
}

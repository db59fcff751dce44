package dev.gantry.core.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one output stream of a process to its end on its own thread, so a process never
 * blocks on a full pipe, handing each line to a consumer and keeping the tail.
 */
final class StreamDrain {
  private static final Logger log = LoggerFactory.getLogger(StreamDrain.class);
  /** A line longer than this is handed over in pieces, so memory stays bounded. */
  static final int MAX_LINE = 1 << 20;

  private final InputStream in;
  private final Consumer<String> consumer;
  private final TailBuffer tail;
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean detached;
  private boolean consumerFailed;

  private byte[] line = new byte[256];
  private int lineLength;

  StreamDrain(InputStream in, Consumer<String> consumer, int maxCapture) {
    this.in = in;
    this.consumer = consumer;
    this.tail = new TailBuffer(maxCapture);
  }

  StreamDrain start(String name) {
    Thread.ofVirtual().name(name).start(this::run);
    return this;
  }

  private void run() {
    byte[] buf = new byte[64 * 1024];
    try (in) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (detached) {
          continue; // keep reading so the writer never blocks, but nobody listens any more
        }
        tail.write(buf, 0, n);
        split(buf, n);
      }
      if (lineLength > 0 && !detached) {
        emit();
      }
    } catch (IOException e) {
      // the stream closes under us when the process is killed: nothing more to read
    } finally {
      done.countDown();
    }
  }

  private void split(byte[] buf, int n) {
    int from = 0;
    for (int i = 0; i < n; i++) {
      if (buf[i] == '\n') {
        append(buf, from, i - from);
        emit();
        from = i + 1;
      }
    }
    append(buf, from, n - from);
  }

  private void append(byte[] buf, int off, int len) {
    while (len > 0) {
      int room = MAX_LINE - lineLength;
      if (room == 0) {
        emit();
        room = MAX_LINE;
      }
      int n = Math.min(room, len);
      if (lineLength + n > line.length) {
        line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE, Math.max(lineLength + n, line.length * 2)));
      }
      System.arraycopy(buf, off, line, lineLength, n);
      lineLength += n;
      off += n;
      len -= n;
    }
  }

  private void emit() {
    int len = lineLength;
    if (len > 0 && line[len - 1] == '\r') {
      len--;
    }
    String text = new String(line, 0, len, StandardCharsets.UTF_8);
    lineLength = 0;
    try {
      consumer.accept(text);
    } catch (RuntimeException e) {
      // a failing consumer must not stop the draining, or the process would block on its pipe
      if (!consumerFailed) {
        consumerFailed = true;
        log.warn("an output line consumer failed; further failures are not logged", e);
      }
    }
  }

  /** Waits until the stream ended; returns false if it had not after {@code millis}. */
  boolean awaitEnd(long millis) throws InterruptedException {
    return done.await(millis, TimeUnit.MILLISECONDS);
  }

  /** Stops handing over lines: the caller has its result and moves on. */
  void detach() {
    detached = true;
  }

  String captured() {
    return tail.text();
  }
}

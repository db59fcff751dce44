package dev.gantry.bench.monitor;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One pipelined TCP connection for full-speed throughput: frames go out as long as fewer
 * than {@code window} wait for their acknowledgement; a reader thread counts the replies.
 * Latency is measured by {@link OpenLoop}.
 */
final class Connection implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final Semaphore window;
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Thread reader;

  Connection(int port, int window) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    this.window = new Semaphore(window);
    DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16));
    reader = Thread.ofPlatform().daemon().name("bench-reader").start(() -> {
      try {
        while (true) {
          int len = in.readInt();
          byte[] body = in.readNBytes(len);
          // an acknowledgement is exactly {ok: true}
          if (len == 2 && body[0] == 0x10 && body[1] == 1) {
            acked.incrementAndGet();
          } else {
            failed.incrementAndGet();
          }
          this.window.release();
        }
      } catch (IOException e) {
        // closed
      }
    });
  }

  /** Sends a frame once the window allows. */
  void send(byte[] frame, boolean flush) throws IOException, InterruptedException {
    window.acquire();
    out.write(frame);
    if (flush) {
      out.flush();
    }
  }

  void flush() throws IOException {
    out.flush();
  }

  long acked() {
    return acked.get();
  }

  long failed() {
    return failed.get();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

package dev.gantry.bench.monitor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load at a fixed rate over several pipelined connections, with two threads
 * in all: one sends every batch at its due time (connections in turn), one reads every
 * reply through a selector. Each reply's latency counts from its batch's due time, so a
 * stall anywhere (server, network, this generator) counts in full for every batch it
 * delayed. Few threads on purpose: on a 2-core machine every extra runnable thread of the
 * generator is a chance for it to delay itself.
 */
final class OpenLoop {
  /** Sends per connection that may wait for their reply before the sender waits too. */
  private static final int WINDOW = 1 << 14;

  /** One connection's due times of unanswered batches: written by the sender, read by the reader. */
  private static final class Conn {
    final SocketChannel channel;
    final long[] due = new long[WINDOW];
    final AtomicLong sent = new AtomicLong();
    final AtomicLong answered = new AtomicLong();
    final ByteBuffer in = ByteBuffer.allocate(1 << 16);

    Conn(SocketChannel channel) {
      this.channel = channel;
    }
  }

  /** What one run measured. */
  record Result(long sent, long[] latencyNanos, long failed) {}

  private OpenLoop() {}

  /**
   * Sends {@code frames} in turn to {@code connections} connections on {@code port} for
   * {@code seconds}, at {@code batchesPerSecond} in all, and returns every reply's latency.
   */
  static Result run(int port, List<byte[]> frames, int connections, int batchesPerSecond, int seconds)
      throws IOException, InterruptedException {
    List<Conn> conns = new ArrayList<>();
    Selector selector = Selector.open();
    try {
      for (int i = 0; i < connections; i++) {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.configureBlocking(false);
        Conn c = new Conn(ch);
        ch.register(selector, SelectionKey.OP_READ, c);
        conns.add(c);
      }
      long total = (long) batchesPerSecond * seconds;
      long[] latency = new long[(int) total];
      long[] counts = new long[2]; // acked, failed
      Thread reader = Thread.ofPlatform().name("bench-reader").start(() -> read(selector, total, latency, counts));
      long interval = 1_000_000_000L / batchesPerSecond;
      long start = System.nanoTime() + 10_000_000L;
      for (long k = 0; k < total; k++) {
        long due = start + k * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        Conn c = conns.get((int) (k % connections));
        long n = c.sent.get();
        while (n - c.answered.get() >= WINDOW) {
          Thread.onSpinWait();
        }
        c.due[(int) (n % WINDOW)] = due;
        c.sent.set(n + 1);
        ByteBuffer out = ByteBuffer.wrap(frames.get((int) (k % frames.size())));
        while (out.hasRemaining()) {
          if (c.channel.write(out) == 0) {
            Thread.onSpinWait();
          }
        }
      }
      reader.join(5_000); // replies still due after the last send
      reader.interrupt();
      reader.join();
      int done = (int) Math.min(total, counts[0] + counts[1]);
      return new Result(total, Arrays.copyOf(latency, done), counts[1]);
    } finally {
      for (Conn c : conns) {
        c.channel.close();
      }
      selector.close();
    }
  }

  private static void read(Selector selector, long total, long[] latency, long[] counts) {
    int n = 0;
    try {
      while (n < total && !Thread.currentThread().isInterrupted()) {
        selector.select(200);
        long now = System.nanoTime();
        for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
          SelectionKey key = it.next();
          it.remove();
          Conn c = (Conn) key.attachment();
          if (c.channel.read(c.in) < 0) {
            return;
          }
          c.in.flip();
          while (c.in.remaining() >= 4 && c.in.remaining() >= 4 + c.in.getInt(c.in.position())) {
            int len = c.in.getInt();
            // an acknowledgement is exactly {ok: true}
            boolean ok = len == 2 && c.in.get(c.in.position()) == 0x10 && c.in.get(c.in.position() + 1) == 1;
            c.in.position(c.in.position() + len);
            counts[ok ? 0 : 1]++;
            long a = c.answered.get();
            if (n < latency.length) {
              latency[n++] = now - c.due[(int) (a % WINDOW)];
            }
            c.answered.set(a + 1);
          }
          c.in.compact();
        }
      }
    } catch (IOException e) {
      // closed
    }
  }
}

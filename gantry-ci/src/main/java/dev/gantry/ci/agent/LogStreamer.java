package dev.gantry.ci.agent;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Collects a run's output and sends it to the server in numbered chunks (every 200 ms or
 * 32 KiB), one at a time and in order, so the run page shows it live and the stored log
 * reads as the run wrote it. Tells the caller when the server no longer wants the run.
 */
final class LogStreamer implements AutoCloseable {
  private static final int CHUNK = 32 * 1024;

  private final ServerClient client;
  private final long run;
  private final Runnable onUnwanted;
  private final StringBuilder buffer = new StringBuilder();
  private final ScheduledFuture<?> timer;
  private static final int SEND_ATTEMPTS = 3;
  private final Object sending = new Object();
  private long next; // the number of the next chunk, guarded by sending

  LogStreamer(ServerClient client, long run, ScheduledExecutorService timers, Runnable onUnwanted) {
    this.client = client;
    this.run = run;
    this.onUnwanted = onUnwanted;
    this.timer = timers.scheduleWithFixedDelay(this::flushQuietly, 200, 200, TimeUnit.MILLISECONDS);
  }

  void line(String line) {
    boolean full;
    synchronized (buffer) {
      buffer.append(line).append('\n');
      full = buffer.length() >= CHUNK;
    }
    if (full) {
      flushQuietly();
    }
  }

  /**
   * Sends what was collected as the next chunk. One chunk at a time, in the order taken: a
   * timer's flush still on its way when the run ends must not arrive after the exit line.
   * A failed send is tried again (the server drops a chunk it has by its number).
   */
  private void flushQuietly() {
    synchronized (sending) {
      String text;
      synchronized (buffer) {
        if (buffer.isEmpty()) {
          return;
        }
        text = buffer.toString();
        buffer.setLength(0);
      }
      long seq = next++;
      for (int attempt = 1; attempt <= SEND_ATTEMPTS; attempt++) {
        try {
          if (!client.log(run, seq, text)) {
            onUnwanted.run();
          }
          return;
        } catch (java.io.IOException | RuntimeException e) {
          // the server is away for a moment: try again, then give this chunk up (the server says a part is missing)
          pause(attempt * 200L);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    timer.cancel(false);
    flushQuietly();
  }
}

package dev.gantry.ci.agent;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Collects a run's output and sends it to the server in chunks (every 200 ms or 32 KiB), so
 * the run page shows it live. Tells the caller when the server no longer wants the run.
 */
final class LogStreamer implements AutoCloseable {
  private static final int CHUNK = 32 * 1024;

  private final ServerClient client;
  private final long run;
  private final Runnable onUnwanted;
  private final StringBuilder buffer = new StringBuilder();
  private final ScheduledFuture<?> timer;

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

  private void flushQuietly() {
    String text;
    synchronized (buffer) {
      if (buffer.isEmpty()) {
        return;
      }
      text = buffer.toString();
      buffer.setLength(0);
    }
    try {
      if (!client.log(run, text)) {
        onUnwanted.run();
      }
    } catch (java.io.IOException | RuntimeException e) {
      // the server is away for a moment: this chunk is lost, the run goes on
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

package dev.gantry.deploy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Polls a URL on loopback on a fixed schedule, as a user's browser would during a deploy:
 * request i is due at start + i x period, each on a fresh connection with a 2 s timeout,
 * and every answer is recorded (status and body, or the error). Bounded: it stops by
 * itself after {@code maxDurationMs}.
 */
public final class FrontPoller implements AutoCloseable {
  /** One request: when it was due, what came back. */
  public record Answer(long dueMs, int status, String body, String error) {
    public boolean failed() {
      return error != null || status != 200;
    }
  }

  private final int port;
  private final String path;
  private final long periodMs;
  private final long maxDurationMs;
  private final List<Answer> answers = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean stop;

  public FrontPoller(int port, String path, long periodMs, long maxDurationMs) {
    this.port = port;
    this.path = path;
    this.periodMs = periodMs;
    this.maxDurationMs = maxDurationMs;
    this.thread = Thread.ofPlatform().daemon().name("front-poller").start(this::loop);
  }

  private void loop() {
    long start = System.nanoTime();
    for (long i = 0; !stop; i++) {
      long due = start + i * periodMs * 1_000_000;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      }
      if ((due - start) / 1_000_000 > maxDurationMs) {
        return;
      }
      answers.add(once((due - start) / 1_000_000));
    }
  }

  private Answer once(long dueMs) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      String text = buf.toString(StandardCharsets.UTF_8);
      int sp = text.indexOf(' ');
      if (!text.startsWith("HTTP/") || sp < 0 || text.length() < sp + 4) {
        return new Answer(dueMs, 0, "", "malformed answer: " + text.lines().findFirst().orElse(""));
      }
      int status = Integer.parseInt(text.substring(sp + 1, sp + 4));
      int bodyAt = text.indexOf("\r\n\r\n");
      return new Answer(dueMs, status, bodyAt < 0 ? "" : text.substring(bodyAt + 4).strip(), null);
    } catch (IOException | RuntimeException e) {
      return new Answer(dueMs, 0, "", e.toString());
    }
  }

  /** Stops polling and returns every answer. */
  public List<Answer> stop() {
    stop = true;
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new ArrayList<>(answers);
  }

  @Override
  public void close() {
    stop();
  }
}

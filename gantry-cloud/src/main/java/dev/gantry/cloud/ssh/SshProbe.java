package dev.gantry.cloud.ssh;

import dev.gantry.core.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Tells whether an SSH server answers: connects and reads the identification line
 * ({@code SSH-2.0-...}, RFC 4253 section 4.2).
 *
 * <pre>{@code
 * String banner = new SshProbe().await("10.213.1.2", 22, Duration.ofSeconds(30), System.out::println);
 * }</pre>
 */
public final class SshProbe {
  private final InstantSource clock;
  private final Duration pause;

  public SshProbe() {
    this(InstantSource.system(), Duration.ofMillis(250));
  }

  public SshProbe(InstantSource clock, Duration pause) {
    this.clock = clock;
    this.pause = pause;
  }

  /** The server's identification line, or empty when nothing SSH answers now. */
  public Optional<String> banner(String host, int port, Duration timeout) {
    try (Socket s = new Socket()) {
      int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      s.connect(new InetSocketAddress(host, port), ms);
      s.setSoTimeout(ms);
      // servers may send other lines before the identification (RFC 4253 4.2)
      InputStream in = s.getInputStream();
      for (int lines = 0; lines < 20; lines++) {
        String line = readLine(in);
        if (line == null) {
          return Optional.empty();
        }
        if (line.startsWith("SSH-")) {
          return Optional.of(line);
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Polls until SSH answers.
   *
   * @throws UserError naming the address when it does not answer within {@code timeout}
   */
  public String await(String host, int port, Duration timeout, Consumer<String> progress) {
    Instant deadline = clock.instant().plus(timeout);
    boolean told = false;
    while (true) {
      Optional<String> b = banner(host, port, Duration.ofSeconds(3));
      if (b.isPresent()) {
        return b.get();
      }
      if (!clock.instant().isBefore(deadline)) {
        throw new UserError("SSH on " + host + ":" + port + " did not answer within " + timeout.toSeconds() + " s");
      }
      if (!told) {
        progress.accept("waiting for SSH on " + host + ":" + port);
        told = true;
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UserError("interrupted while waiting for SSH on " + host + ":" + port);
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        break;
      }
      if (buf.size() > 255) {
        return null;
      }
      buf.write(c);
    }
    if (c == -1 && buf.size() == 0) {
      return null;
    }
    return buf.toString(StandardCharsets.US_ASCII).stripTrailing();
  }
}

package dev.gantry.host.target;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a local process with optional stdin and captures its output (each stream capped),
 * killing it (and its children) after a timeout.
 *
 * <pre>{@code
 * CommandResult r = Exec.run(List.of("tar", "-czf", "-", "."), null, Duration.ofMinutes(1));
 * }</pre>
 */
public final class Exec {
  private static final int CAP = 4 * 1024 * 1024;

  private Exec() {}

  public static CommandResult run(List<String> argv, byte[] stdin, Duration timeout) {
    return run(argv, stdin, timeout, null, Map.of());
  }

  public static CommandResult run(List<String> argv, byte[] stdin, Duration timeout, Path dir,
                                  Map<String, String> env) {
    ProcessBuilder pb = new ProcessBuilder(argv);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.environment().putAll(env);
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new CommandResult(127, "", "cannot run " + argv.get(0) + ": " + e.getMessage());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread to = pump(p.getInputStream(), out);
    Thread te = pump(p.getErrorStream(), err);
    if (stdin != null) {
      Thread ti = Thread.ofVirtual().start(() -> {
        try (OutputStream os = p.getOutputStream()) {
          os.write(stdin);
        } catch (IOException ignored) {
          // the process closed its stdin early; its exit status tells the story
        }
      });
      ti.setName("exec-stdin");
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor();
        to.join();
        te.join();
        return new CommandResult(124, text(out), text(err) + "\n" + argv.get(0) + ": timed out after " + timeout);
      }
      to.join();
      te.join();
    } catch (InterruptedException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new CommandResult(130, text(out), "interrupted");
    }
    return new CommandResult(p.exitValue(), text(out), text(err));
  }

  private static String text(ByteArrayOutputStream b) {
    synchronized (b) {
      return b.toString(StandardCharsets.UTF_8);
    }
  }

  private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
    return Thread.ofVirtual().start(() -> {
      byte[] buf = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buf)) > 0) {
          synchronized (sink) {
            if (sink.size() < CAP) {
              sink.write(buf, 0, Math.min(n, CAP - sink.size()));
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}

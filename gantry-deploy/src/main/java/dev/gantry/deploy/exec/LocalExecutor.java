package dev.gantry.deploy.exec;

import dev.gantry.core.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs commands on this machine. Output of each stream is captured up to 4 MiB; a command
 * that outlives its timeout is killed together with its children.
 *
 * <pre>{@code
 * new LocalExecutor().run(Duration.ofSeconds(5), "docker", "info").requireOk("docker info");
 * }</pre>
 */
public final class LocalExecutor implements Executor {
  private static final int CAP = 4 << 20;

  @Override
  public ExecResult run(List<String> argv, Map<String, String> env, Duration timeout) {
    long start = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new ExecResult(argv, 127, "", "cannot start " + argv.get(0) + ": " + e.getMessage(),
          Duration.ofNanos(System.nanoTime() - start), false);
    }
    Capture out = new Capture(p.getInputStream());
    Capture err = new Capture(p.getErrorStream());
    Thread to = Thread.ofVirtual().start(out);
    Thread te = Thread.ofVirtual().start(err);
    boolean timedOut = false;
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        timedOut = true;
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      to.join(Duration.ofSeconds(10));
      te.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      timedOut = true;
    }
    int code = p.isAlive() ? -1 : p.exitValue();
    return new ExecResult(argv, code, out.text(), err.text(), Duration.ofNanos(System.nanoTime() - start), timedOut);
  }

  @Override
  public void writeFile(String path, byte[] content, boolean secret) {
    Path target = Path.of(path);
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      if (secret) {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.write(tmp, content);
      try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<byte[]> readFile(String path) {
    try {
      return Optional.of(Files.readAllBytes(Path.of(path)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + path + ": " + e.getMessage(), e);
    }
  }

  // the file questions a deploy asks many times are answered here, without starting a process each

  @Override
  public boolean exists(String path) {
    return Files.exists(Path.of(path));
  }

  @Override
  public void mkdirs(String path) {
    try {
      Files.createDirectories(Path.of(path));
    } catch (IOException e) {
      throw new UserError("creating folder " + path + " on this machine failed (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")", e);
    }
  }

  @Override
  public List<String> list(String dir) {
    try (Stream<Path> entries = Files.list(Path.of(dir))) {
      return entries.map(e -> e.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      return List.of(); // absent (or not a folder), as `ls` failing says
    }
  }

  @Override
  public void download(String path, OutputStream out) throws IOException {
    Files.copy(Path.of(path), out);
  }

  @Override
  public void upload(InputStream in, String path) throws IOException {
    Path target = Path.of(path);
    Files.createDirectories(target.toAbsolutePath().getParent());
    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public String describe() {
    return "this machine";
  }

  /** Reads a stream to the end, keeping the first {@link #CAP} bytes. */
  private static final class Capture implements Runnable {
    private final InputStream in;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    Capture(InputStream in) {
      this.in = in;
    }

    @Override
    public void run() {
      byte[] b = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(b)) >= 0) {
          synchronized (buf) {
            if (buf.size() < CAP) {
              buf.write(b, 0, Math.min(n, CAP - buf.size()));
            }
          }
        }
      } catch (IOException e) {
        // the process ended or was killed; what was read is kept
      }
    }

    String text() {
      synchronized (buf) {
        return buf.toString(StandardCharsets.UTF_8);
      }
    }
  }
}

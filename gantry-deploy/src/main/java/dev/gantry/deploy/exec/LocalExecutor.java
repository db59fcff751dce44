package dev.gantry.deploy.exec;

import dev.gantry.core.UserError;
import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
import java.util.stream.Stream;

/**
 * Runs commands on this machine through {@link Command}: the last 4 MiB of each stream are
 * kept, and a command that outlives its timeout is ended with its whole process tree
 * (children that re-parented included). A program that cannot be started is exit status 127,
 * as on a remote host.
 *
 * <pre>{@code
 * new LocalExecutor().run(Duration.ofSeconds(5), "docker", "info").requireOk("docker info");
 * }</pre>
 */
public final class LocalExecutor implements Executor {
  @Override
  public ProcessResult run(List<String> argv, Map<String, String> env, Duration timeout) {
    return Command.of(argv).env(env).timeout(timeout).attempt();
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
}

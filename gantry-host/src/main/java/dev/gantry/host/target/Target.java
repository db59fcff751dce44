package dev.gantry.host.target;

import dev.gantry.core.process.ProcessResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Where properties act: this machine, a chroot directory, or a remote host over SSH.
 * Deliberately small; everything else a property needs is a command.
 *
 * <pre>{@code
 * Target t = new ChrootTarget(Path.of("/var/tmp/root"));
 * t.write("/etc/motd", "hello\n".getBytes(UTF_8), FileAttrs.mode(0644));
 * ProcessResult r = t.run("cat", "/etc/motd");
 * }</pre>
 */
public interface Target {
  /** A short name for messages, e.g. {@code "chroot /var/tmp/root"}. */
  String name();

  /**
   * Runs {@code argv} (no shell) with {@code stdin} (may be null) and waits for it. Never
   * throws for a failed command: one that cannot be started is exit status 127, as a shell says.
   */
  ProcessResult run(List<String> argv, byte[] stdin);

  /** Reads a whole file; empty when it does not exist. Follows symlinks. */
  Optional<byte[]> read(String path);

  /**
   * Replaces a file atomically: the content goes to a temporary file in the same
   * directory, gets its mode and owner, is synced, then renamed over the path. A reader
   * (or a crash) sees the old file or the new one, never a mix.
   */
  void write(String path, byte[] content, FileAttrs attrs);

  /** Describes a path without following a final symlink; empty when nothing is there. */
  Optional<FileStat> stat(String path);

  /** True when something (even a dangling symlink) is at {@code path}. */
  default boolean exists(String path) {
    return stat(path).isPresent();
  }

  default ProcessResult run(String... argv) {
    return run(List.of(argv), null);
  }

  /** Runs a POSIX shell script on the target. */
  default ProcessResult sh(String script) {
    return run(List.of("sh", "-c", script), null);
  }

  /** Reads a file as UTF-8 text; empty when it does not exist. */
  default Optional<String> readText(String path) {
    return read(path).map(b -> new String(b, StandardCharsets.UTF_8));
  }
}

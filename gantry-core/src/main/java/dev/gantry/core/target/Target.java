package dev.gantry.core.target;

import dev.gantry.core.process.ProcessResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A host that Gantry runs commands on and moves files to: this machine ({@link LocalTarget}),
 * a chroot directory ({@link ChrootTarget}) or a remote host over SSH. Host properties act
 * on one and deployments change one. Deliberately small; everything else is a command.
 * Paths are the host's, absolute, as strings.
 *
 * <pre>{@code
 * Target t = new ChrootTarget(Path.of("/var/tmp/root"));
 * t.write("/etc/motd", "hello\n".getBytes(UTF_8), FileAttrs.mode(0644));
 * ProcessResult r = t.run(Duration.ofSeconds(10), "cat", "/etc/motd");
 * }</pre>
 */
public interface Target {
  /** A short name for messages, e.g. {@code "chroot /var/tmp/root"} or {@code "this machine"}. */
  String name();

  /**
   * Runs a command (no shell) and waits for it. Never throws for a failed command: one that
   * cannot be started is exit status 127, as a shell says; one that outlives its timeout is
   * ended and reported {@link ProcessResult#timedOut() timed out}.
   */
  ProcessResult run(Invocation command);

  /** Reads a whole file; empty when it does not exist. Follows symlinks. */
  Optional<byte[]> read(String path);

  /**
   * Replaces a file atomically: the content goes to a temporary file in the same
   * directory, gets its mode and owner, is synced, then renamed over the path. A reader
   * (or a crash) sees the old file or the new one, never a mix. The directory must exist
   * ({@link #writeMakingFolders} makes it).
   */
  void write(String path, byte[] content, FileAttrs attrs);

  /** Describes a path without following a final symlink; empty when nothing is there. */
  Optional<FileStat> stat(String path);

  /** Streams a (possibly large) file from the host into {@code out}. */
  void download(String path, OutputStream out) throws IOException;

  /** Streams {@code in} into a file on the host, creating its parent folders; the file appears whole or not at all. */
  void upload(InputStream in, String path) throws IOException;

  /** Runs {@code argv} with no input, within the target's own time limit. */
  default ProcessResult run(String... argv) {
    return run(Invocation.of(List.of(argv)));
  }

  /** Runs {@code argv} with {@code stdin} (may be null), within the target's own time limit. */
  default ProcessResult run(List<String> argv, byte[] stdin) {
    return run(Invocation.of(argv).stdin(stdin));
  }

  default ProcessResult run(Duration timeout, String... argv) {
    return run(Invocation.of(Arrays.asList(argv)).timeout(timeout));
  }

  default ProcessResult run(Duration timeout, List<String> argv) {
    return run(Invocation.of(argv).timeout(timeout));
  }

  /** Runs {@code argv} with extra environment variables. */
  default ProcessResult run(List<String> argv, Map<String, String> env, Duration timeout) {
    return run(Invocation.of(argv).env(env).timeout(timeout));
  }

  /** Runs a POSIX shell script on the target. */
  default ProcessResult sh(String script) {
    return run("sh", "-c", script);
  }

  /** Reads a file as UTF-8 text; empty when it does not exist. */
  default Optional<String> readText(String path) {
    return read(path).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  /** {@link #write}, making the missing parent folders first. */
  default void writeMakingFolders(String path, byte[] content, FileAttrs attrs) {
    mkdirs(parentOf(path));
    write(path, content, attrs);
  }

  /** True when something (even a dangling symlink) is at {@code path}. */
  default boolean exists(String path) {
    return stat(path).isPresent();
  }

  /** Makes a folder and its missing parents. */
  default void mkdirs(String path) {
    run(Duration.ofSeconds(30), "mkdir", "-p", "--", path).requireOk("creating folder " + path + " on " + name());
  }

  /** Removes a file or folder tree; quiet when absent. */
  default void delete(String path) {
    run(Duration.ofMinutes(5), "rm", "-rf", "--", path).requireOk("removing " + path + " on " + name());
  }

  /** Names of the entries in a folder, sorted; empty when the folder is absent. */
  default List<String> list(String dir) {
    ProcessResult r = run(Duration.ofSeconds(30), "ls", "-1A", "--", dir);
    if (!r.ok()) {
      return List.of();
    }
    return r.stdout().lines().filter(l -> !l.isBlank()).sorted().toList();
  }

  /** The folder a path is in: {@code /a/b} for {@code /a/b/c}, {@code /} for {@code /c}. */
  static String parentOf(String path) {
    return path.substring(0, Math.max(1, path.lastIndexOf('/')));
  }
}

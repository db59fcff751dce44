package dev.gantry.deploy.exec;

import dev.gantry.core.process.ProcessResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs commands and moves files on the host a system is deployed to: this machine
 * ({@link LocalExecutor}) or a remote one. Paths are the host's, as strings.
 *
 * <pre>{@code
 * Executor host = new LocalExecutor();
 * host.run(List.of("docker", "version"), Duration.ofSeconds(10)).requireOk("docker version");
 * host.writeFile("/var/lib/gantry/systems/capital/compose.yml", yaml.getBytes(UTF_8), false);
 * }</pre>
 */
public interface Executor {

  /** Runs {@code argv} with extra environment variables; never throws for a non-zero exit. */
  ProcessResult run(List<String> argv, Map<String, String> env, Duration timeout);

  /** Writes a file atomically, creating parent folders; {@code secret} makes it mode 0600. */
  void writeFile(String path, byte[] content, boolean secret);

  /** The file's bytes, or empty when it does not exist. */
  Optional<byte[]> readFile(String path);

  /** Streams a (possibly large) file from the host into {@code out}. */
  void download(String path, OutputStream out) throws IOException;

  /** Streams {@code in} into a file on the host, creating parent folders. */
  void upload(InputStream in, String path) throws IOException;

  /** A short description for messages, e.g. {@code "this machine"} or {@code "ssh admin@prod:22"}. */
  String describe();

  default ProcessResult run(List<String> argv, Duration timeout) {
    return run(argv, Map.of(), timeout);
  }

  default ProcessResult run(Duration timeout, String... argv) {
    return run(Arrays.asList(argv), Map.of(), timeout);
  }

  default boolean exists(String path) {
    return run(Duration.ofSeconds(30), "test", "-e", path).ok();
  }

  default void mkdirs(String path) {
    run(Duration.ofSeconds(30), "mkdir", "-p", path).requireOk("creating " + path);
  }

  /** Removes a file or folder tree; quiet when absent. */
  default void delete(String path) {
    run(Duration.ofMinutes(5), "rm", "-rf", "--", path).requireOk("removing " + path);
  }

  /** Names of the entries in a folder, sorted; empty when the folder is absent. */
  default List<String> list(String dir) {
    ProcessResult r = run(Duration.ofSeconds(30), "ls", "-1A", "--", dir);
    if (!r.ok()) {
      return List.of();
    }
    return r.stdout().lines().filter(l -> !l.isBlank()).sorted().toList();
  }
}

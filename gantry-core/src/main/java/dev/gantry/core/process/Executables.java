package dev.gantry.core.process;

import dev.gantry.core.UserError;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Finds programs the way {@code execvp} does, so a missing one is reported by name up front. */
final class Executables {
  private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
  private static final Optional<Path> SETSID = find("setsid", System.getenv("PATH"));

  private Executables() {}

  /** The {@code setsid} program, when this system has one. */
  static Optional<Path> setsid() {
    return SETSID;
  }

  /**
   * The absolute path of {@code program}: a name containing '/' is taken relative to
   * {@code dir}; a bare name is searched on the PATH of the child's environment.
   */
  static Path resolve(String program, Path dir, Map<String, String> env) {
    if (program.isEmpty()) {
      throw new UserError("cannot run an empty command");
    }
    if (program.contains("/")) {
      Path p = dir.resolve(program).toAbsolutePath().normalize();
      if (!Files.isRegularFile(p)) {
        throw new UserError("cannot run '" + program + "': no such file");
      }
      if (!Files.isExecutable(p)) {
        throw new UserError("cannot run '" + program + "': not executable");
      }
      return p;
    }
    String path = env.getOrDefault("PATH", DEFAULT_PATH);
    return find(program, path)
        .orElseThrow(() -> new UserError("cannot run '" + program + "': command not found on PATH"));
  }

  private static Optional<Path> find(String name, String searchPath) {
    String path = searchPath == null || searchPath.isEmpty() ? DEFAULT_PATH : searchPath;
    for (String entry : path.split(File.pathSeparator)) {
      Path candidate = Path.of(entry.isEmpty() ? "." : entry).resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath());
      }
    }
    return Optional.empty();
  }
}

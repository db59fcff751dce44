package dev.gantry.host.target;

import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The old entry point for local processes, kept only for {@code host.spin.InfraRepo}, which
 * is being changed elsewhere; it runs through {@link Command} like everything else.
 *
 * @deprecated use {@link Command} ({@code Command.of(argv).timeout(t).attempt()}); remove
 *     together with {@link CommandResult} once InfraRepo no longer calls it.
 */
@Deprecated
public final class Exec {
  private Exec() {}

  /** Runs {@code argv} in {@code dir} (may be null) with extra {@code env}; stdin may be null. */
  public static CommandResult run(List<String> argv, byte[] stdin, Duration timeout, Path dir,
                                  Map<String, String> env) {
    Command command = Command.of(argv).env(env).timeout(timeout);
    if (dir != null) {
      command = command.dir(dir);
    }
    return CommandResult.of((stdin == null ? command : command.stdin(stdin)).attempt());
  }
}

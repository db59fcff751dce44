package dev.gantry.host.target;

import dev.gantry.core.process.ProcessResult;

/**
 * The old result of {@link Exec}, kept only for {@code host.spin.InfraRepo}.
 *
 * @deprecated use {@link ProcessResult}, which every runner and target returns; remove
 *     together with {@link Exec} once InfraRepo no longer calls it.
 */
@Deprecated
public record CommandResult(ProcessResult result) {
  static CommandResult of(ProcessResult result) {
    return new CommandResult(result);
  }

  public boolean ok() {
    return result.ok();
  }

  /** {@link ProcessResult#tail()}. */
  public String errorTail() {
    return result.tail();
  }
}

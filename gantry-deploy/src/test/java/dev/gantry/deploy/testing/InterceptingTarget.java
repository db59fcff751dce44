package dev.gantry.deploy.testing;

import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.Invocation;
import dev.gantry.core.target.Target;
import dev.gantry.core.testing.ForwardingTarget;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * This machine's target with some commands answered otherwise, to make a host fail in one
 * precise way (a full disk, an engine outside a swarm) while everything else is real.
 *
 * <pre>{@code
 * Target full = InterceptingTarget.failing(sb.exec, argv -> argv.get(0).equals("tar"), "No space left on device");
 * }</pre>
 */
public final class InterceptingTarget extends ForwardingTarget {
  private final Function<List<String>, Optional<ProcessResult>> answer;
  private final String description;

  private InterceptingTarget(Target real, Function<List<String>, Optional<ProcessResult>> answer, String description) {
    super(real);
    this.answer = answer;
    this.description = description;
  }

  /** Commands matching {@code when} exit 2 with {@code stderr}. */
  public static InterceptingTarget failing(Target real, Predicate<List<String>> when, String stderr) {
    return new InterceptingTarget(real, argv -> when.test(argv)
        ? Optional.of(new ProcessResult(argv, 2, "", stderr, Duration.ZERO, false)) : Optional.empty(),
        "this machine (" + stderr + ")");
  }

  /** Commands matching {@code when} succeed printing {@code stdout}. */
  public static InterceptingTarget answering(Target real, Predicate<List<String>> when, String stdout) {
    return new InterceptingTarget(real, argv -> when.test(argv)
        ? Optional.of(new ProcessResult(argv, 0, stdout, "", Duration.ZERO, false)) : Optional.empty(),
        "this machine (answering '" + stdout.strip() + "')");
  }

  @Override
  public ProcessResult run(Invocation command) {
    return answer.apply(command.argv()).orElseGet(() -> real.run(command));
  }

  @Override
  public String name() {
    return description;
  }
}

package dev.gantry.deploy.testing;

import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.FileStat;
import dev.gantry.core.target.Invocation;
import dev.gantry.core.target.Target;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * This machine's target with some commands answered otherwise, to make a host fail in one
 * precise way (a full disk, an engine outside a swarm) while everything else is real.
 *
 * <pre>{@code
 * Target full = InterceptingTarget.failing(sb.exec, argv -> argv.get(0).equals("tar"), "No space left on device");
 * }</pre>
 */
public record InterceptingTarget(Target real, Function<List<String>, Optional<ProcessResult>> answer, String description)
    implements Target {

  /** Commands matching {@code when} exit 2 with {@code stderr}. */
  public static InterceptingTarget failing(Target real, java.util.function.Predicate<List<String>> when, String stderr) {
    return new InterceptingTarget(real, argv -> when.test(argv)
        ? Optional.of(new ProcessResult(argv, 2, "", stderr, Duration.ZERO, false)) : Optional.empty(),
        "this machine (" + stderr + ")");
  }

  /** Commands matching {@code when} succeed printing {@code stdout}. */
  public static InterceptingTarget answering(Target real, java.util.function.Predicate<List<String>> when, String stdout) {
    return new InterceptingTarget(real, argv -> when.test(argv)
        ? Optional.of(new ProcessResult(argv, 0, stdout, "", Duration.ZERO, false)) : Optional.empty(),
        "this machine (answering '" + stdout.strip() + "')");
  }

  @Override
  public ProcessResult run(Invocation command) {
    return answer.apply(command.argv()).orElseGet(() -> real.run(command));
  }

  @Override
  public void write(String path, byte[] content, FileAttrs attrs) {
    real.write(path, content, attrs);
  }

  @Override
  public Optional<byte[]> read(String path) {
    return real.read(path);
  }

  @Override
  public Optional<FileStat> stat(String path) {
    return real.stat(path);
  }

  @Override
  public void download(String path, OutputStream out) throws IOException {
    real.download(path, out);
  }

  @Override
  public void upload(InputStream in, String path) throws IOException {
    real.upload(in, path);
  }

  @Override
  public String name() {
    return description;
  }
}

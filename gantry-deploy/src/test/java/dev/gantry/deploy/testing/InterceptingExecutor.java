package dev.gantry.deploy.testing;

import dev.gantry.core.process.ProcessResult;
import dev.gantry.deploy.exec.Executor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * This machine's executor with some commands answered otherwise, to make a host fail in one
 * precise way (a full disk, an engine outside a swarm) while everything else is real.
 *
 * <pre>{@code
 * Executor full = InterceptingExecutor.failing(sb.exec, argv -> argv.get(0).equals("tar"), "No space left on device");
 * }</pre>
 */
public record InterceptingExecutor(Executor real, Function<List<String>, Optional<ProcessResult>> answer, String description)
    implements Executor {

  /** Commands matching {@code when} exit 2 with {@code stderr}. */
  public static InterceptingExecutor failing(Executor real, java.util.function.Predicate<List<String>> when, String stderr) {
    return new InterceptingExecutor(real, argv -> when.test(argv)
        ? Optional.of(new ProcessResult(argv, 2, "", stderr, Duration.ZERO, false)) : Optional.empty(),
        "this machine (" + stderr + ")");
  }

  /** Commands matching {@code when} succeed printing {@code stdout}. */
  public static InterceptingExecutor answering(Executor real, java.util.function.Predicate<List<String>> when, String stdout) {
    return new InterceptingExecutor(real, argv -> when.test(argv)
        ? Optional.of(new ProcessResult(argv, 0, stdout, "", Duration.ZERO, false)) : Optional.empty(),
        "this machine (answering '" + stdout.strip() + "')");
  }

  @Override
  public ProcessResult run(List<String> argv, Map<String, String> env, Duration timeout) {
    return answer.apply(argv).orElseGet(() -> real.run(argv, env, timeout));
  }

  @Override
  public void writeFile(String path, byte[] content, boolean secret) {
    real.writeFile(path, content, secret);
  }

  @Override
  public Optional<byte[]> readFile(String path) {
    return real.readFile(path);
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
  public String describe() {
    return description;
  }
}

package dev.gantry.core.testing;

import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.FileStat;
import dev.gantry.core.target.Invocation;
import dev.gantry.core.target.Target;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * A target that passes everything to another, for tests that change one thing about a real
 * target (answer some commands otherwise, run commands elsewhere) and keep the rest.
 *
 * <pre>{@code
 * Target deaf = new ForwardingTarget(LocalTarget.thisMachine()) {
 *   public ProcessResult run(Invocation c) { return real.run(c.env(Map.of("DOCKER_HOST", "unix:///nobody"))); }
 * };
 * }</pre>
 */
public class ForwardingTarget implements Target {
  protected final Target real;

  public ForwardingTarget(Target real) {
    this.real = real;
  }

  @Override
  public String name() {
    return real.name();
  }

  @Override
  public ProcessResult run(Invocation command) {
    return real.run(command);
  }

  @Override
  public Optional<byte[]> read(String path) {
    return real.read(path);
  }

  @Override
  public void write(String path, byte[] content, FileAttrs attrs) {
    real.write(path, content, attrs);
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
}

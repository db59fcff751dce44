package dev.gantry.deploy.exec;

import dev.gantry.core.process.ProcessResult;
import dev.gantry.host.ssh.SshConnection;
import dev.gantry.host.target.FileAttrs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs commands on a remote host over SSH (gantry-host's connection), as root: directly
 * for root, through {@code sudo -n} for other users. Binary files travel base64-encoded
 * line by line, so archives stream without being held in memory.
 *
 * <pre>{@code
 * try (SshConnection ssh = SshConnection.connect(SshEndpoint.of(hostSpec), SshOptions.defaults())) {
 *   Executor prod = new SshExecutor(ssh);
 *   prod.run(Duration.ofSeconds(10), "docker", "version");
 * }
 * }</pre>
 */
public final class SshExecutor implements Executor {
  private static final int CAP = 4 << 20;
  private final SshConnection ssh;

  public SshExecutor(SshConnection ssh) {
    this.ssh = ssh;
  }

  @Override
  public ProcessResult run(List<String> argv, Map<String, String> env, Duration timeout) {
    StringBuilder cmd = new StringBuilder();
    if (!env.isEmpty()) {
      cmd.append("env");
      env.forEach((k, v) -> cmd.append(' ').append(SshConnection.quote(k + "=" + v)));
      cmd.append(' ');
    }
    for (int i = 0; i < argv.size(); i++) {
      cmd.append(i == 0 ? "" : " ").append(SshConnection.quote(argv.get(i)));
    }
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    long start = System.nanoTime();
    int code = ssh.exec(ssh.privileged(cmd.toString()), null, line -> append(out, line), line -> append(err, line), timeout);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    boolean timedOut = code == -1 && took.compareTo(timeout) >= 0;
    return new ProcessResult(argv, code, out.toString(), err.toString(), took, timedOut);
  }

  @Override
  public void writeFile(String path, byte[] content, boolean secret) {
    String parent = path.substring(0, Math.max(1, path.lastIndexOf('/')));
    mkdirs(parent);
    ssh.target().write(path, content, FileAttrs.mode(secret ? 0600 : 0644));
  }

  @Override
  public Optional<byte[]> readFile(String path) {
    return ssh.target().read(path);
  }

  @Override
  public void download(String path, OutputStream out) throws IOException {
    Base64.Decoder dec = Base64.getMimeDecoder();
    IOException[] failure = {null};
    StringBuilder err = new StringBuilder();
    int code = ssh.exec(ssh.privileged("base64 -w 76 -- " + SshConnection.quote(path)), null, line -> {
      if (failure[0] == null) {
        try {
          out.write(dec.decode(line)); // 76 base64 characters decode to whole bytes
        } catch (IOException e) {
          failure[0] = e;
        }
      }
    }, line -> append(err, line), Duration.ofHours(2));
    if (failure[0] != null) {
      throw failure[0];
    }
    if (code != 0) {
      throw new IOException("reading " + path + " on " + describe() + ": " + err.toString().strip());
    }
  }

  @Override
  public void upload(InputStream in, String path) throws IOException {
    String parent = path.substring(0, Math.max(1, path.lastIndexOf('/')));
    mkdirs(parent);
    StringBuilder err = new StringBuilder();
    String tmp = path + ".gantry-upload";
    int code = ssh.exec(ssh.privileged("cat > " + SshConnection.quote(tmp) + " && mv -f " + SshConnection.quote(tmp) + " "
        + SshConnection.quote(path)), in, line -> {}, line -> append(err, line), Duration.ofHours(2));
    if (code != 0) {
      throw new IOException("writing " + path + " on " + describe() + ": " + err.toString().strip());
    }
  }

  @Override
  public String describe() {
    return "ssh " + ssh.endpoint();
  }

  private static void append(StringBuilder b, String line) {
    synchronized (b) {
      if (b.length() < CAP) {
        b.append(line).append('\n');
      }
    }
  }

  /** For callers that hold several hosts' connections. */
  public SshConnection connection() {
    return ssh;
  }

}

package dev.gantry.host.ssh;

import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.FileStat;
import dev.gantry.core.target.Invocation;
import dev.gantry.core.target.Target;
import dev.gantry.core.target.TargetException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A remote host over an {@link SshConnection}, acting as root (through {@code sudo -n}
 * when logged in as another user): the one SSH target of host properties and deployments.
 * Files are written to a temporary file next to the target and renamed, so a dropped
 * connection never leaves a half-written file; uploads and downloads stream raw bytes.
 */
final class SshTarget implements Target {
  /** A whole volume's archive can take long; the stream itself shows the transfer is alive. */
  private static final Duration TRANSFER = Duration.ofHours(2);
  private static final Duration TIMEOUT = Duration.ofMinutes(30);
  private final SshConnection ssh;

  SshTarget(SshConnection ssh) {
    this.ssh = ssh;
  }

  @Override
  public String name() {
    return "ssh " + ssh.endpoint();
  }

  @Override
  public ProcessResult run(Invocation command) {
    StringBuilder cmd = new StringBuilder();
    if (!command.env().isEmpty()) {
      cmd.append("env ").append(command.env().entrySet().stream()
          .map(e -> SshConnection.quote(e.getKey() + "=" + e.getValue())).collect(Collectors.joining(" "))).append(' ');
    }
    cmd.append(command.argv().stream().map(SshConnection::quote).collect(Collectors.joining(" ")));
    return ssh.exec(command.argv(), ssh.privileged(cmd.toString()), command.stdin(), command.timeoutOr(TIMEOUT));
  }

  @Override
  public Optional<byte[]> read(String path) {
    String p = SshConnection.quote(path);
    SshConnection.Raw r = ssh.execRaw(ssh.privileged("if [ -e " + p + " ]; then exec cat -- " + p
        + "; else exit 3; fi"), null, TIMEOUT);
    if (r.exit() == 3) {
      return Optional.empty();
    }
    if (r.exit() != 0) {
      throw new TargetException("cannot read " + path + " on " + name() + ": "
          + new String(r.err(), StandardCharsets.UTF_8).strip());
    }
    return Optional.of(r.out());
  }

  @Override
  public void write(String path, byte[] content, FileAttrs attrs) {
    StringBuilder s = new StringBuilder();
    s.append("set -e; p=$(readlink -m -- ").append(SshConnection.quote(path)).append("); d=$(dirname -- \"$p\"); ")
        .append("[ -d \"$d\" ] || { echo \"its directory $d does not exist\" >&2; exit 3; }; ")
        .append("t=$(mktemp \"$d/.$(basename -- \"$p\").gantry-XXXXXX\"); trap 'rm -f \"$t\"' EXIT; ")
        .append("cat > \"$t\"; ")
        .append("if [ -e \"$p\" ]; then chown --reference=\"$p\" \"$t\"; chmod --reference=\"$p\" \"$t\"; ")
        .append("else chown 0:0 \"$t\"; chmod 0644 \"$t\"; fi; ");
    if (attrs.owner() != null || attrs.group() != null) {
      s.append("chown ").append(SshConnection.quote((attrs.owner() == null ? "" : attrs.owner())
          + (attrs.group() == null ? "" : ":" + attrs.group()))).append(" \"$t\"; ");
    }
    if (attrs.mode() != null) {
      s.append("chmod ").append(String.format("%04o", attrs.mode())).append(" \"$t\"; ");
    }
    s.append("sync \"$t\" 2>/dev/null || true; mv -f \"$t\" \"$p\"; trap - EXIT");
    SshConnection.Raw r = ssh.execRaw(ssh.privileged(s.toString()), new ByteArrayInputStream(content), TIMEOUT);
    if (r.exit() != 0) {
      throw new TargetException("cannot write " + path + " on " + name() + ": "
          + new String(r.err(), StandardCharsets.UTF_8).strip());
    }
  }

  @Override
  public Optional<FileStat> stat(String path) {
    String p = SshConnection.quote(path);
    ProcessResult r = ssh.exec(ssh.privileged("[ -e " + p + " ] || [ -L " + p + " ] || exit 3; "
        + "stat -c '%F|%a|%u|%g|%U|%G|%s' -- " + p + " && readlink -- " + p + " || true"));
    if (r.exitCode() == 3) {
      return Optional.empty();
    }
    if (!r.ok()) {
      throw new TargetException("cannot stat " + path + " on " + name() + ": " + r.tail());
    }
    String[] lines = r.stdout().split("\n");
    String[] f = lines[0].split("\\|");
    FileStat.Type type = switch (f[0]) {
      case "regular file", "regular empty file" -> FileStat.Type.FILE;
      case "directory" -> FileStat.Type.DIRECTORY;
      case "symbolic link" -> FileStat.Type.SYMLINK;
      default -> FileStat.Type.OTHER;
    };
    String link = type == FileStat.Type.SYMLINK && lines.length > 1 ? lines[1] : null;
    return Optional.of(new FileStat(type, Integer.parseInt(f[1], 8), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
        f[4], f[5], Long.parseLong(f[6]), link));
  }

  @Override
  public void download(String path, OutputStream out) throws IOException {
    FailureKeeping sink = new FailureKeeping(out);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ssh.run(ssh.privileged("exec cat -- " + SshConnection.quote(path)), null, sink, err, TRANSFER);
    sink.rethrow();
    if (code != 0) {
      throw new IOException("reading " + path + " on " + name() + ": " + err.toString(StandardCharsets.UTF_8).strip());
    }
  }

  @Override
  public void upload(InputStream in, String path) throws IOException {
    mkdirs(Target.parentOf(path));
    String tmp = SshConnection.quote(path + ".gantry-upload");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ssh.run(ssh.privileged("cat > " + tmp + " && mv -f " + tmp + " " + SshConnection.quote(path)), in,
        OutputStream.nullOutputStream(), err, TRANSFER);
    if (code != 0) {
      throw new IOException("writing " + path + " on " + name() + ": " + err.toString(StandardCharsets.UTF_8).strip());
    }
  }

  /**
   * Passes bytes on until the first failure, which it keeps for the caller: the SSH client
   * writes from its own thread, where a thrown exception would only close the channel.
   */
  private static final class FailureKeeping extends FilterOutputStream {
    private IOException failure;

    FailureKeeping(OutputStream out) {
      super(out);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      if (failure == null) {
        try {
          out.write(b, off, len);
        } catch (IOException e) {
          failure = e;
        }
      }
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    synchronized void rethrow() throws IOException {
      if (failure != null) {
        throw failure;
      }
    }
  }
}

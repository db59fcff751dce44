package dev.gantry.host.ssh;

import dev.gantry.core.process.ProcessResult;
import dev.gantry.host.target.FileAttrs;
import dev.gantry.host.target.FileStat;
import dev.gantry.host.target.Target;
import dev.gantry.host.target.TargetException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A remote host over an {@link SshConnection}, acting as root (through {@code sudo -n}
 * when logged in as another user). Files are written to a temporary file next to the
 * target and renamed, so a dropped connection never leaves a half-written file.
 */
final class SshTarget implements Target {
  private static final Duration TIMEOUT = Duration.ofMinutes(30);
  private final SshConnection ssh;

  SshTarget(SshConnection ssh) {
    this.ssh = ssh;
  }

  @Override
  public String name() {
    return ssh.endpoint().host();
  }

  @Override
  public ProcessResult run(List<String> argv, byte[] stdin) {
    String cmd = argv.stream().map(SshConnection::quote).collect(Collectors.joining(" "));
    return ssh.exec(argv, ssh.privileged(cmd), stdin);
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
}

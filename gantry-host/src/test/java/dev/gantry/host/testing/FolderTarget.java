package dev.gantry.host.testing;

import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.ChrootTarget;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.FileStat;
import dev.gantry.core.target.Invocation;
import dev.gantry.core.target.LocalTarget;
import dev.gantry.core.target.Target;
import dev.gantry.core.target.TargetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A folder as a target, for tests of what properties do rather than of targets: it reads and
 * stats like a chroot of the folder, runs commands on this machine, and writes plain files
 * of the running user. (A real chroot target gives new files to root, so it needs root.)
 *
 * <pre>{@code
 * Context ctx = Context.of(new FolderTarget(tempDir));
 * }</pre>
 */
public final class FolderTarget implements Target {
  private final Path root;
  private final ChrootTarget view;
  private final LocalTarget local = new LocalTarget();

  public FolderTarget(Path root) {
    this.root = root;
    this.view = new ChrootTarget(root);
  }

  @Override
  public String name() {
    return "folder " + root;
  }

  @Override
  public ProcessResult run(Invocation command) {
    return local.run(command);
  }

  @Override
  public void download(String path, OutputStream out) throws IOException {
    view.download(path, out);
  }

  @Override
  public void upload(InputStream in, String path) throws IOException {
    view.upload(in, path);
  }

  @Override
  public Optional<byte[]> read(String path) {
    return view.read(path);
  }

  @Override
  public void write(String path, byte[] content, FileAttrs attrs) {
    Path file = root.resolve(path.startsWith("/") ? path.substring(1) : path);
    if (!Files.isDirectory(file.getParent())) {
      throw new TargetException("cannot write " + path + " on " + name() + ": " + file.getParent() + " does not exist");
    }
    Path tmp = null;
    try {
      tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
      Files.write(tmp, content);
      if (attrs.mode() != null) {
        Files.setPosixFilePermissions(tmp, permissions(attrs.mode()));
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new TargetException("cannot write " + path + " on " + name() + ": " + e.getMessage(), e);
    } finally {
      try {
        if (tmp != null) {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException ignored) {
        // best effort, as the real targets do
      }
    }
  }

  @Override
  public Optional<FileStat> stat(String path) {
    return view.stat(path);
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
    for (int i = 0; i < 9; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        s.add(bits[i]);
      }
    }
    return s;
  }
}

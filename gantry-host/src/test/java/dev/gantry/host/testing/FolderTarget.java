package dev.gantry.host.testing;

import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.ChrootTarget;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.Invocation;
import dev.gantry.core.target.LocalTarget;
import dev.gantry.core.target.TargetException;
import dev.gantry.core.testing.ForwardingTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * A folder as a target, for tests of what properties do rather than of targets: it reads and
 * stats like a chroot of the folder, runs commands on this machine, and writes plain files
 * of the running user, whatever owner a property asks for. (A real chroot target gives files
 * the owners asked for, so it needs root.)
 *
 * <pre>{@code
 * Context ctx = Context.of(new FolderTarget(tempDir));
 * }</pre>
 */
public final class FolderTarget extends ForwardingTarget {
  private final Path root;
  private final LocalTarget local = new LocalTarget();

  public FolderTarget(Path root) {
    super(new ChrootTarget(root)); // reads, stats and streams files as a chroot of the folder
    this.root = root;
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

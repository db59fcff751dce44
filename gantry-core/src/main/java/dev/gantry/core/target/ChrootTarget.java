package dev.gantry.core.target;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A root filesystem in a directory of this machine: commands run with {@code chroot DIR},
 * files are read and written under DIR. Needs root. Mount {@code /proc} inside it first
 * for tools that need it (apt, dpkg triggers).
 *
 * <pre>{@code
 * Target t = new ChrootTarget(Path.of("/var/tmp/bookworm"));
 * t.run("apt-get", "install", "-y", "git");
 * }</pre>
 */
public final class ChrootTarget extends RootedTarget {
  public ChrootTarget(Path dir) {
    this(dir, Duration.ofMinutes(30));
  }

  public ChrootTarget(Path dir, Duration timeout) {
    super(requireDir(dir), List.of("chroot", dir.toAbsolutePath().normalize().toString()), timeout,
        SYSTEM_ENV);
  }

  private static Path requireDir(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new TargetException("chroot directory " + dir + " does not exist");
    }
    return dir;
  }

  /** The directory this target is rooted at. */
  public Path directory() {
    return root();
  }

  @Override
  public String name() {
    return "chroot " + root();
  }
}

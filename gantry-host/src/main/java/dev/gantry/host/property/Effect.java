package dev.gantry.host.property;

import java.util.List;

/**
 * What a change would leave on the host, told by a property's check so that a dry run can
 * judge the properties after it as if the change were made: a file whose directory an
 * earlier property creates "would change", not "would fail".
 *
 * <pre>{@code
 * return Check.change("mkdir " + path).with(new Effect.DirectoryCreated(path));
 * }</pre>
 */
public sealed interface Effect {
  /** {@code mkdir -p path}: the directory and its parents. */
  record DirectoryCreated(String path) implements Effect {}

  /** A file or symlink written at {@code path}. */
  record FileWritten(String path) implements Effect {}

  /** A user account (and, as Debian's useradd does, a group of the same name). */
  record UserCreated(String name) implements Effect {}

  record GroupCreated(String name) implements Effect {}

  /** Packages installed: they may bring directories, users and units nobody can list beforehand. */
  record PackagesInstalled(List<String> names) implements Effect {
    public PackagesInstalled {
      names = List.copyOf(names);
    }
  }

  /** The package lists fetched again ({@code apt-get update}). */
  record PackageListsUpdated() implements Effect {}
}

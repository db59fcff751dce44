package dev.gantry.core.target;

/**
 * What {@link Target#stat} reports about a path, without following a final symlink.
 * Owner and group are names from the target's own account database (the numeric id
 * when it has no name there).
 */
public record FileStat(Type type, int mode, int uid, int gid, String owner, String group, long size,
                       String linkTarget) {
  public enum Type { FILE, DIRECTORY, SYMLINK, OTHER }

  public boolean isFile() {
    return type == Type.FILE;
  }

  public boolean isDirectory() {
    return type == Type.DIRECTORY;
  }

  public boolean isSymlink() {
    return type == Type.SYMLINK;
  }

  /** The mode as four octal digits, e.g. {@code "0644"}. */
  public String octalMode() {
    return String.format("%04o", mode);
  }
}

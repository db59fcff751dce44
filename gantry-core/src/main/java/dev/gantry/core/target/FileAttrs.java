package dev.gantry.core.target;

/**
 * Mode and ownership for a file written by {@link Target#write}. A null field keeps what
 * the file has (or the default for a new file: 0644, root:root).
 *
 * <pre>{@code
 * target.write("/etc/app.conf", bytes, FileAttrs.mode(0600).withOwner("app", "app"));
 * }</pre>
 */
public record FileAttrs(Integer mode, String owner, String group) {
  /** Keep the existing file's mode and owner; defaults for a new file. */
  public static final FileAttrs KEEP = new FileAttrs(null, null, null);

  public FileAttrs {
    if (mode != null && (mode < 0 || mode > 07777)) {
      throw new IllegalArgumentException("file mode " + Integer.toOctalString(mode) + " is not in 0..07777");
    }
  }

  public static FileAttrs mode(int mode) {
    return new FileAttrs(mode, null, null);
  }

  /** Mode 0600 for a secret (readable by its owner alone), else 0644. */
  public static FileAttrs secretIf(boolean secret) {
    return mode(secret ? 0600 : 0644);
  }

  public FileAttrs withOwner(String owner, String group) {
    return new FileAttrs(mode, owner, group);
  }
}

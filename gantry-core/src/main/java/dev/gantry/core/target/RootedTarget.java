package dev.gantry.core.target;

import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A target whose files live under a root directory of this machine and whose commands
 * run through a prefix ({@code chroot DIR} or nothing). Symlinks inside the tree are
 * resolved relative to the root, so an absolute link never escapes it.
 */
abstract class RootedTarget implements Target {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** What a configured system's commands see, whatever the caller's environment: apt never asks. */
  static final Map<String, String> SYSTEM_ENV = Map.of(
      "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "DEBIAN_FRONTEND", "noninteractive",
      "LANG", "C.UTF-8",
      "HOME", "/root");

  private final Path root;
  private final List<String> prefix;
  private final Duration timeout;
  private final Map<String, String> baseEnv;
  private Accounts accounts;
  private String accountsStamp = "";

  /** {@code baseEnv} is put over this process's environment for every command. */
  RootedTarget(Path root, List<String> prefix, Duration timeout, Map<String, String> baseEnv) {
    this.root = root.toAbsolutePath().normalize();
    this.prefix = List.copyOf(prefix);
    this.timeout = timeout;
    this.baseEnv = Map.copyOf(baseEnv);
  }

  Path root() {
    return root;
  }

  @Override
  public ProcessResult run(Invocation invocation) {
    List<String> full = new ArrayList<>(prefix);
    full.addAll(invocation.argv());
    Map<String, String> env = new LinkedHashMap<>(baseEnv);
    env.putAll(invocation.env());
    Command command = Command.of(full).env(env).timeout(invocation.timeoutOr(timeout));
    return (invocation.stdin() == null ? command : command.stdin(invocation.stdin())).attempt();
  }

  @Override
  public Optional<byte[]> read(String path) {
    Path p = resolve(path, true);
    try {
      if (Files.isDirectory(p)) {
        throw new TargetException(path + " on " + name() + " is a directory, not a file");
      }
      return Optional.of(Files.readAllBytes(p));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new TargetException("cannot read " + path + " on " + name() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void write(String path, byte[] content, FileAttrs attrs) {
    Path real = resolve(path, true);
    Path dir = real.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new TargetException("cannot write " + path + " on " + name() + ": its directory does not exist");
    }
    Accounts accounts = accounts();
    Optional<FileStat> existing = statReal(real, accounts);
    int mode = attrs.mode() != null ? attrs.mode() : existing.map(FileStat::mode).orElse(0644);
    // a new file without an owner stays the writer's: root's on a host, and a deploy by a
    // user to this machine can write without the right to give files away
    int uid = attrs.owner() != null ? id(accounts.uid(attrs.owner()), "user", attrs.owner(), path)
        : existing.map(FileStat::uid).orElse(-1);
    int gid = attrs.group() != null ? id(accounts.gid(attrs.group()), "group", attrs.group(), path)
        : existing.map(FileStat::gid).orElse(-1);
    Path tmp = dir.resolve("." + real.getFileName() + ".gantry-" + HexFormat.of().formatHex(randomBytes()));
    try {
      try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(permissions(0600)))) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      giveTo(tmp, "uid", uid);
      giveTo(tmp, "gid", gid);
      Files.setPosixFilePermissions(tmp, permissions(mode));
      if ((mode & 07000) != 0) {
        // java.nio cannot set setuid/setgid/sticky bits
        ProcessResult r = Command.of("chmod", String.format("%04o", mode), tmp.toString()).timeout(timeout).attempt();
        if (!r.ok()) {
          throw new TargetException("cannot chmod " + path + " on " + name() + ": " + r.tail());
        }
      }
      try {
        Files.move(tmp, real, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new TargetException("cannot replace " + path + " atomically on " + name(), e);
      }
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException ignored) {
        // some filesystems refuse to sync a directory; the rename itself is atomic
      }
    } catch (IOException e) {
      throw new TargetException("cannot write " + path + " on " + name() + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort: a leftover temporary file is never the target file
      }
    }
  }

  /** Sets the file's owner or group ({@code kind} uid or gid) when it is not {@code id} already. */
  private static void giveTo(Path file, String kind, int id) throws IOException {
    if (id >= 0 && !Integer.valueOf(id).equals(Files.getAttribute(file, "unix:" + kind, LinkOption.NOFOLLOW_LINKS))) {
      Files.setAttribute(file, "unix:" + kind, id, LinkOption.NOFOLLOW_LINKS);
    }
  }

  @Override
  public void download(String path, OutputStream out) throws IOException {
    Files.copy(resolve(path, true), out);
  }

  @Override
  public void upload(InputStream in, String path) throws IOException {
    Path real = resolve(path, true);
    Files.createDirectories(real.getParent());
    Path tmp = real.resolveSibling("." + real.getFileName() + ".gantry-" + HexFormat.of().formatHex(randomBytes()));
    try {
      Files.copy(in, tmp);
      Files.move(tmp, real, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  // the file questions a deploy asks many times are answered here, without starting a process each

  @Override
  public void mkdirs(String path) {
    try {
      Files.createDirectories(resolve(path, true));
    } catch (IOException e) {
      throw new TargetException("creating folder " + path + " on " + name() + " failed ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
  }

  @Override
  public List<String> list(String dir) {
    try (Stream<Path> entries = Files.list(resolve(dir, true))) {
      return entries.map(e -> e.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      return List.of(); // absent (or not a folder), as `ls` failing says
    }
  }

  @Override
  public Optional<FileStat> stat(String path) {
    return statReal(resolve(path, false), accounts());
  }

  private Optional<FileStat> statReal(Path p, Accounts accounts) {
    try {
      Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
      int rawMode = (Integer) a.get("mode");
      int uid = (Integer) a.get("uid");
      int gid = (Integer) a.get("gid");
      FileStat.Type type;
      String link = null;
      if (Files.isSymbolicLink(p)) {
        type = FileStat.Type.SYMLINK;
        link = Files.readSymbolicLink(p).toString();
      } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        type = FileStat.Type.DIRECTORY;
      } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        type = FileStat.Type.FILE;
      } else {
        type = FileStat.Type.OTHER;
      }
      return Optional.of(new FileStat(type, rawMode & 07777, uid, gid, accounts.userName(uid),
          accounts.groupName(gid), (Long) a.get("size"), link));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new TargetException("cannot stat " + p + " on " + name() + ": " + e.getMessage(), e);
    }
  }

  /** The account names, read again only when /etc/passwd or /etc/group changed. */
  private synchronized Accounts accounts() {
    String stamp = stamp(root.resolve("etc/passwd")) + "|" + stamp(root.resolve("etc/group"));
    if (accounts == null || !stamp.equals(accountsStamp)) {
      accounts = Accounts.of(root);
      accountsStamp = stamp;
    }
    return accounts;
  }

  private static String stamp(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis() + ":" + Files.size(p) + ":"
          + Files.readAttributes(p, "unix:ino").get("ino");
    } catch (IOException e) {
      return "missing";
    }
  }

  /** Maps a path of the target to this machine, resolving symlinks inside the root. */
  Path resolve(String path, boolean followLast) {
    if (path == null || !path.startsWith("/")) {
      throw new TargetException("path '" + path + "' must be absolute");
    }
    Deque<String> remaining = new ArrayDeque<>(List.of(path.split("/")));
    List<String> done = new ArrayList<>();
    int hops = 0;
    while (!remaining.isEmpty()) {
      String c = remaining.pollFirst();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (!done.isEmpty()) {
          done.remove(done.size() - 1);
        }
        continue;
      }
      Path candidate = under(done).resolve(c);
      boolean last = remaining.stream().allMatch(s -> s.isEmpty() || s.equals("."));
      if ((!last || followLast) && Files.isSymbolicLink(candidate)) {
        if (++hops > 40) {
          throw new TargetException("too many symlinks resolving " + path + " on " + name());
        }
        String link;
        try {
          link = Files.readSymbolicLink(candidate).toString();
        } catch (IOException e) {
          throw new TargetException("cannot read symlink " + candidate + ": " + e.getMessage(), e);
        }
        if (link.startsWith("/")) {
          done.clear();
        }
        List<String> parts = List.of(link.split("/"));
        for (int i = parts.size() - 1; i >= 0; i--) {
          remaining.addFirst(parts.get(i));
        }
      } else {
        done.add(c);
      }
    }
    return under(done);
  }

  private Path under(List<String> parts) {
    Path p = root;
    for (String s : parts) {
      p = p.resolve(s);
    }
    return p;
  }

  private int id(java.util.OptionalInt id, String kind, String name, String path) {
    if (id.isEmpty()) {
      throw new TargetException("cannot give " + path + " to " + kind + " '" + name + "': no such " + kind
          + " on " + name());
    }
    return id.getAsInt();
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return b;
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int i = 0; i < order.length; i++) {
      if ((mode & (1 << i)) != 0) {
        s.add(order[i]);
      }
    }
    return s;
  }
}

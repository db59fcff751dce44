package dev.gantry.core.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * User and group names of a root filesystem, read from its own {@code /etc/passwd} and
 * {@code /etc/group} (not this machine's name service, which would be wrong for a chroot).
 */
final class Accounts {
  private final Map<String, Integer> uids = new HashMap<>();
  private final Map<Integer, String> userNames = new HashMap<>();
  private final Map<String, Integer> gids = new HashMap<>();
  private final Map<Integer, String> groupNames = new HashMap<>();

  static Accounts of(Path root) {
    Accounts a = new Accounts();
    a.load(root.resolve("etc/passwd"), a.uids, a.userNames);
    a.load(root.resolve("etc/group"), a.gids, a.groupNames);
    return a;
  }

  private void load(Path file, Map<String, Integer> byName, Map<Integer, String> byId) {
    if (!Files.isRegularFile(file)) {
      return;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.split(":", -1);
        if (f.length >= 3 && !f[0].isEmpty()) {
          try {
            int id = Integer.parseInt(f[2]);
            byName.putIfAbsent(f[0], id);
            byId.putIfAbsent(id, f[0]);
          } catch (NumberFormatException ignored) {
            // a malformed line names no account
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  OptionalInt uid(String name) {
    return lookup(uids, name);
  }

  OptionalInt gid(String name) {
    return lookup(gids, name);
  }

  String userName(int uid) {
    return userNames.getOrDefault(uid, Integer.toString(uid));
  }

  String groupName(int gid) {
    return groupNames.getOrDefault(gid, Integer.toString(gid));
  }

  private static OptionalInt lookup(Map<String, Integer> m, String name) {
    Integer id = m.get(name);
    if (id != null) {
      return OptionalInt.of(id);
    }
    if (name.matches("\\d+")) {
      return OptionalInt.of(Integer.parseInt(name));
    }
    return OptionalInt.empty();
  }
}

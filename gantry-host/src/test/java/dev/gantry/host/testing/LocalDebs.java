package dev.gantry.host.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds tiny real .deb packages and a flat apt repository of them, for apt tests. */
public final class LocalDebs {
  private LocalDebs() {}

  /** Builds package {@code name} at {@code version} (installs /usr/share/NAME/version) into {@code repo}. */
  public static void build(Path repo, String name, String version) throws IOException {
    Path work = Files.createTempDirectory("deb-");
    try {
      Path root = work.resolve(name);
      Files.createDirectories(root.resolve("DEBIAN"));
      Files.createDirectories(root.resolve("usr/share/" + name));
      Files.writeString(root.resolve("usr/share/" + name + "/version"), version + "\n");
      Files.writeString(root.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: " + version
          + "\nArchitecture: all\nMaintainer: Gantry tests <tests@example.org>\nDescription: gantry test package\n");
      Files.createDirectories(repo);
      Sh.must("dpkg-deb", "--root-owner-group", "-b", root.toString(),
          repo.resolve(name + "_" + version + "_all.deb").toString());
    } finally {
      Sh.run("rm", "-rf", work.toString());
    }
  }

  /** Writes the repository's Packages index. */
  public static void index(Path repo) {
    Sh.sh("cd '" + repo + "' && for f in *.deb; do dpkg-deb -f \"$f\"; echo \"Filename: ./$f\";"
        + " echo \"Size: $(stat -c %s \"$f\")\"; echo \"SHA256: $(sha256sum \"$f\" | cut -d' ' -f1)\"; echo; done > Packages");
  }
}

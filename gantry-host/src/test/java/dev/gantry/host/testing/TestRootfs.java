package dev.gantry.host.testing;

import dev.gantry.core.target.ChrootTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A private copy of the project's cached Debian root filesystem ({@code scripts/test-rootfs})
 * prepared as a test host: /proc mounted, services kept from starting during package
 * installs (policy-rc.d), apt pointed at a local repository of real Debian packages
 * (downloaded once by {@code fixtures/deb-cache.sh}). {@link #close()} unmounts and deletes.
 *
 * <p>The two caches under {@code /var/cache/gantry-test} are deliberately shared by every
 * run on the machine: each is made under a lock into a temporary folder and renamed into
 * place when complete, and tests only read them (the tree is copied; the packages are
 * hard-linked into the copy, where apt only reads them). Everything a test changes is in
 * its own copy, a folder with a unique name that {@link #close()} removes.
 */
public final class TestRootfs implements AutoCloseable {
  /** The packages the library tests install, served from the local repository. */
  public static final List<String> PACKAGES = List.of("git", "docker.io", "docker-compose", "nginx", "collectd-core",
      "libriemann-client0", "unattended-upgrades", "chrony", "nftables", "systemd", "cron", "hello");
  /** Beside the cache on disk (not a tmpfs /tmp): the copy hard-links the cached packages. */
  private static final Path SCRATCH = Path.of("/var/tmp");

  private final Path dir;
  private boolean procMounted;

  private TestRootfs(Path dir) {
    this.dir = dir;
  }

  public static TestRootfs create(String name) {
    Path base = Path.of(Sh.must(repoRoot().resolve("scripts/test-rootfs").toString()).stdout().strip());
    Path dir = scratchDir(name);
    Sh.must("cp", "-a", base.toString(), dir.toString());
    TestRootfs fs = new TestRootfs(dir);
    boolean prepared = false;
    try {
      fs.prepare();
      prepared = true;
      return fs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (!prepared) {
        fs.close();
      }
    }
  }

  /**
   * A copy of this tree as it is now, with its own /proc: a template prepared once (say, in
   * {@code @BeforeAll}) gives each test method a host of its own. The template is only read.
   */
  public TestRootfs copy(String name) {
    TestRootfs fs = new TestRootfs(scratchDir(name));
    try {
      Sh.must("cp", "-a", "--one-file-system", dir.toString(), fs.dir.toString()); // not the template's /proc
      Sh.must("mount", "-t", "proc", "proc", fs.dir.resolve("proc").toString());
      fs.procMounted = true;
      return fs;
    } catch (RuntimeException e) {
      fs.close();
      throw e;
    }
  }

  /** A path that does not exist yet, unique to this run: {@code /var/tmp/gantry-host-NAME-RANDOM}. */
  private static Path scratchDir(String name) {
    try {
      Path dir = Files.createTempDirectory(SCRATCH, "gantry-host-" + name + "-");
      Files.delete(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void prepare() throws IOException {
    Sh.must("mount", "-t", "proc", "proc", dir.resolve("proc").toString());
    procMounted = true;
    Path policy = dir.resolve("usr/sbin/policy-rc.d");
    Files.writeString(policy, "#!/bin/sh\n# test host: packages never start services\nexit 101\n");
    Sh.must("chmod", "0755", policy.toString());
    List<String> cmd = new java.util.ArrayList<>(List.of(
        fixture("deb-cache.sh").toString(), repoRootfs()));
    cmd.addAll(PACKAGES);
    Path debs = Path.of(Sh.must(cmd.toArray(String[]::new)).stdout().strip());
    Path repo = dir.resolve("srv/gantry-debs");
    Files.createDirectories(repo.getParent());
    // hard links: the copy costs nothing and apt reads file: repositories in place
    if (!Sh.run("cp", "-al", debs.toString(), repo.toString()).ok()) {
      Sh.must("cp", "-a", debs.toString(), repo.toString());
    }
    Files.writeString(dir.resolve("etc/apt/sources.list"), "deb [trusted=yes] file:/srv/gantry-debs ./\n");
    Sh.must("chroot", dir.toString(), "apt-get", "update", "-q");
  }

  public Path dir() {
    return dir;
  }

  public ChrootTarget target() {
    return new ChrootTarget(dir);
  }

  public Path path(String inside) {
    return dir.resolve(inside.startsWith("/") ? inside.substring(1) : inside);
  }

  @Override
  public void close() {
    if (procMounted) {
      Sh.run("umount", "-l", dir.resolve("proc").toString());
    }
    Sh.run("rm", "-rf", "--one-file-system", dir.toString());
  }

  private static String repoRootfs() {
    return Sh.must(repoRoot().resolve("scripts/test-rootfs").toString()).stdout().strip();
  }

  static Path fixture(String name) {
    return repoRoot().resolve("gantry-host/src/test/resources/fixtures/" + name);
  }

  /** The checkout's root (the folder with scripts/), from the module or the root directory. */
  public static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("scripts/test-rootfs"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find scripts/test-rootfs above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}

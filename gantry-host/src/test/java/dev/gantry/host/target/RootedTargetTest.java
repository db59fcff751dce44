package dev.gantry.host.target;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File operations of chroot and local targets (no chroot commands needed). */
class RootedTargetTest {
  @TempDir
  Path root;
  ChrootTarget t;
  /** The ids of the target's account "app": ours, since only root may give a file to another user. */
  int appUid;
  int appGid;

  @BeforeEach
  void setUp() throws Exception {
    appUid = (Integer) Files.getAttribute(root, "unix:uid");
    appGid = (Integer) Files.getAttribute(root, "unix:gid");
    if (appUid == 0) { // root is the target's "root" already
      appUid = 1234;
      appGid = 1234;
    }
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/passwd"),
        "root:x:0:0::/root:/bin/sh\napp:x:" + appUid + ":" + appGid + "::/srv:/bin/sh\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\napp:x:" + appGid + ":\n");
    t = new ChrootTarget(root);
  }

  @Test
  void writesAtomicallyWithModeAndOwnerFromTheTargetsAccounts() throws Exception {
    t.write("/etc/app.conf", "a\n".getBytes(UTF_8), FileAttrs.mode(0640).withOwner("app", "app"));
    FileStat s = t.stat("/etc/app.conf").orElseThrow();
    assertThat(s.uid()).isEqualTo(appUid);
    assertThat(s.owner()).isEqualTo("app");
    assertThat(s.group()).isEqualTo("app");
    assertThat(s.mode()).isEqualTo(0640);
    t.write("/etc/app.conf", "b\n".getBytes(UTF_8), FileAttrs.KEEP);
    assertThat(t.stat("/etc/app.conf").orElseThrow().mode()).isEqualTo(0640);
    assertThat(t.readText("/etc/app.conf")).contains("b\n");
    try (var files = Files.list(root.resolve("etc"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("passwd", "group", "app.conf");
    }
    t.write("/etc/sticky", new byte[0], FileAttrs.mode(01755));
    assertThat(t.stat("/etc/sticky").orElseThrow().mode()).isEqualTo(01755);
    assertThatThrownBy(() -> t.write("/etc/x", new byte[0], FileAttrs.mode(0644).withOwner("nobody-here", null)))
        .hasMessageContaining("no such user");
    assertThatThrownBy(() -> t.write("/missing/x", new byte[0], FileAttrs.KEEP)).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> t.write("relative", new byte[0], FileAttrs.KEEP)).hasMessageContaining("absolute");
  }

  @Test
  void absoluteSymlinksStayInsideTheRoot() throws Exception {
    Files.createDirectories(root.resolve("run"));
    Files.createDirectories(root.resolve("var"));
    Files.createSymbolicLink(root.resolve("var/run"), Path.of("/run"));
    t.write("/var/run/app.pid", "42\n".getBytes(UTF_8), FileAttrs.KEEP);
    assertThat(Files.readString(root.resolve("run/app.pid"))).isEqualTo("42\n");
    Files.createSymbolicLink(root.resolve("etc/escape"), Path.of("/../../../../etc/hostname"));
    assertThat(t.read("/etc/escape")).isEmpty();
    FileStat link = t.stat("/var/run").orElseThrow();
    assertThat(link.isSymlink()).isTrue();
    assertThat(link.linkTarget()).isEqualTo("/run");
    assertThat(t.stat("/nothing")).isEmpty();
    assertThat(t.exists("/var/run")).isTrue();
  }

  @Test
  void localTargetRunsCommandsWithStdin() {
    CommandResult r = new LocalTarget().run(List.of("cat"), "piped".getBytes(UTF_8));
    assertThat(r.ok()).isTrue();
    assertThat(r.stdout()).isEqualTo("piped");
    assertThat(new LocalTarget().run("sh", "-c", "echo oops >&2; exit 3").errorTail()).isEqualTo("oops");
    assertThat(new LocalTarget().run("/no/such/binary").exitCode()).isEqualTo(127);
  }
}

package dev.gantry.core.target;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File operations of a chroot target (no chroot commands needed). Needs root: the target gives
 * new files to the tree's root and other accounts. Commands of a local target: {@link LocalTargetTest}.
 */
@Tag("integration")
class RootedTargetTest {
  @TempDir
  Path root;
  ChrootTarget t;

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1234:1234::/srv:/bin/sh\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\napp:x:1234:\n");
    t = new ChrootTarget(root);
  }

  @Test
  void writesAtomicallyWithModeAndOwnerFromTheTargetsAccounts() throws Exception {
    t.write("/etc/app.conf", "a\n".getBytes(UTF_8), FileAttrs.mode(0640).withOwner("app", "app"));
    FileStat s = t.stat("/etc/app.conf").orElseThrow();
    assertThat(s.uid()).isEqualTo(1234);
    assertThat(s.owner()).isEqualTo("app");
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
}

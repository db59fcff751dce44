package dev.gantry.host.spin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.host.testing.Gpg;
import dev.gantry.host.testing.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Committing the infrastructure repository before a spin, with real git and gpg. */
class InfraRepoTest {
  @TempDir
  Path dir;

  private Path repo(String name) throws Exception {
    Path r = dir.resolve(name);
    Sh.must("git", "init", "-q", "-b", "main", r.toString());
    Sh.must("git", "-C", r.toString(), "config", "user.name", "Infra Tester");
    Sh.must("git", "-C", r.toString(), "config", "user.email", "infra@example.org");
    return r;
  }

  @Test
  void commitsPendingChangesAndPushesToOrigin() throws Exception {
    Path origin = dir.resolve("origin.git");
    Sh.must("git", "init", "-q", "--bare", origin.toString());
    Path r = repo("infra");
    Sh.must("git", "-C", r.toString(), "remote", "add", "origin", origin.toString());
    Files.writeString(r.resolve("a.txt"), "a\n");
    String what = InfraRepo.commitAndPush(r, "gantry host spin web");
    assertThat(what).startsWith("committed ").endsWith("; pushed to origin");
    assertThat(Sh.must("git", "-C", origin.toString(), "log", "--format=%an %s", "main").stdout())
        .isEqualTo("Infra Tester gantry host spin web\n");
    Files.delete(r.resolve("a.txt"));
    InfraRepo.commitAndPush(r, "second");
    assertThat(Sh.must("git", "-C", r.toString(), "ls-files").stdout()).isEmpty();
    assertThat(InfraRepo.commitAndPush(r, "third")).startsWith("nothing to commit");
  }

  @Test
  void signsWithTheConfiguredOpenPgpKey() throws Exception {
    try (Gpg alice = Gpg.withKey("Alice", "alice@example.org")) {
      Path r = repo("signed");
      Path wrapper = dir.resolve("gpg-alice");
      Files.writeString(wrapper, "#!/bin/sh\nGNUPGHOME='" + alice.home() + "' exec gpg \"$@\"\n");
      Sh.must("chmod", "755", wrapper.toString());
      Sh.must("git", "-C", r.toString(), "config", "user.signingkey", alice.fingerprint());
      Sh.must("git", "-C", r.toString(), "config", "gpg.program", wrapper.toString());
      Files.writeString(r.resolve("b.txt"), "b\n");
      assertThat(InfraRepo.commitAndPush(r, "signed spin")).endsWith("(signed)");
      assertThat(Sh.run("git", "-C", r.toString(), "verify-commit", "HEAD").ok()).isTrue();
    }
  }

  @Test
  void aFolderOutsideGitIsLeftAlone() {
    assertThat(InfraRepo.commitAndPush(dir, "x")).contains("is not a git repository");
  }
}

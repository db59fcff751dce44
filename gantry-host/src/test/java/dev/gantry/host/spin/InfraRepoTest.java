package dev.gantry.host.spin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.host.testing.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Committing the infrastructure repository before a spin, with real git (signing: {@link InfraRepoSigningTest}). */
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
  void aFolderOutsideGitIsLeftAlone() {
    assertThat(InfraRepo.commitAndPush(dir, "x")).contains("is not a git repository");
  }
}

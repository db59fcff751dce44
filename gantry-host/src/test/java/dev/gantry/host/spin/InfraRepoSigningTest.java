package dev.gantry.host.spin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.host.testing.Gpg;
import dev.gantry.host.testing.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The infrastructure repository's commit signed with a key made by real gpg. */
@Tag("integration")
class InfraRepoSigningTest {
  @TempDir
  Path dir;

  @Test
  void signsWithTheConfiguredOpenPgpKey() throws Exception {
    try (Gpg alice = Gpg.withKey("Alice", "alice@example.org")) {
      Path r = dir.resolve("signed");
      Sh.must("git", "init", "-q", "-b", "main", r.toString());
      Sh.must("git", "-C", r.toString(), "config", "user.name", "Infra Tester");
      Sh.must("git", "-C", r.toString(), "config", "user.email", "infra@example.org");
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
}

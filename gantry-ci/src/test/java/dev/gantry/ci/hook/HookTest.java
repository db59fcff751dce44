package dev.gantry.ci.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.ci.testing.GitFixture;
import dev.gantry.core.UserError;
import dev.gantry.core.process.Command;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookTest {
  @TempDir Path tmp;

  @Test
  void theSignatureIsWhatOpensslComputes() {
    String body = "a b refs/heads/review\n";
    String openssl = Command.of("openssl", "dgst", "-sha256", "-hmac", "s3cret-s3cret-s3cret").stdin(body).run().stdout().strip();
    String hex = openssl.substring(openssl.lastIndexOf('=') + 1).strip();
    assertThat(Hmac.sign("s3cret-s3cret-s3cret", body.getBytes(StandardCharsets.UTF_8))).isEqualTo("sha256=" + hex);
    assertThat(Hmac.verify("s3cret-s3cret-s3cret", body.getBytes(StandardCharsets.UTF_8), "sha256=" + hex.toUpperCase())).isTrue();
    assertThat(Hmac.verify("s3cret-s3cret-s3cret", body.getBytes(StandardCharsets.UTF_8), "sha256=00")).isFalse();
    assertThat(Hmac.verify("s3cret-s3cret-s3cret", body.getBytes(StandardCharsets.UTF_8), null)).isFalse();
  }

  @Test
  void theHooksSignatureOfTimeNonceAndLinesIsWhatTheServerChecks() {
    // exactly as the installed script composes and signs them
    String lines = "a b refs/heads/review";
    String openssl = Command.of("sh", "-c", "printf '%s\\n%s\\n%s\\n' 1764633600 00ff00ff00ff00ff \"$0\" | openssl dgst -sha256 "
        + "-hmac s3cret-s3cret-s3cret | sed 's/^.*= *//'", lines).run().stdout().strip();
    byte[] body = (lines + "\n").getBytes(StandardCharsets.UTF_8);
    assertThat(HookMessage.sign("s3cret-s3cret-s3cret", "1764633600", "00ff00ff00ff00ff", body)).isEqualTo("sha256=" + openssl);
  }

  @Test
  void theHookIsWrittenWithItsSecretPrivateAndRefusesToClobberAForeignHook() throws Exception {
    Path bare = new GitFixture(tmp).central("app", "README", "x\n");
    Path hook = new HookInstaller().install(bare, URI.create("http://127.0.0.1:9/"), "hook-secret-0123456789", false);
    assertThat(Files.readString(hook)).contains("http://127.0.0.1:9/api/ci/hook").doesNotContain("hook-secret-0123456789");
    assertThat(Files.isExecutable(hook)).isTrue();
    Path secret = bare.resolve("hooks").resolve(HookInstaller.SECRET_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
    // installing again over our own hook is fine
    new HookInstaller().install(bare, URI.create("http://127.0.0.1:9"), "hook-secret-0123456789", false);
    Files.writeString(hook, "#!/bin/sh\necho mine\n");
    assertThatThrownBy(() -> new HookInstaller().install(bare, URI.create("http://127.0.0.1:9"), "hook-secret-0123456789", false))
        .isInstanceOf(UserError.class).hasMessageContaining("was not written by Gantry").hasMessageContaining("--force");
  }

  @Test
  void aPushStillSucceedsWhenTheServerIsDown() throws Exception {
    GitFixture fx = new GitFixture(tmp);
    Path bare = fx.central("app", "README", "x\n");
    new HookInstaller().install(bare, URI.create("http://127.0.0.1:9"), "hook-secret-0123456789", false);
    Path dev = fx.clone(bare, "dev");
    GitFixture.write(dev, "README", "y\n");
    GitFixture.commitAll(dev, "y");
    var r = GitFixture.gitResult(dev, "push", "origin", "HEAD:refs/heads/review");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).contains("gantry: the CI server at http://127.0.0.1:9/api/ci/hook cannot be reached; the push is kept");
  }

  @Test
  void badInstallationsAreRefusedClearly() throws Exception {
    HookInstaller h = new HookInstaller();
    assertThatThrownBy(() -> h.install(tmp, URI.create("http://127.0.0.1:9"), "hook-secret-0123456789", false))
        .hasMessageContaining("is not a bare git repository");
    Path bare = new GitFixture(tmp).central("app", "README", "x\n");
    assertThatThrownBy(() -> h.install(bare, URI.create("ftp://x"), "hook-secret-0123456789", false)).hasMessageContaining("--server");
    assertThatThrownBy(() -> h.install(bare, URI.create("http://127.0.0.1:9"), "short", false)).hasMessageContaining("at least 16");
  }
}

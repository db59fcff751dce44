package dev.gantry.host.testing;

import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A throwaway gpg home with one key made by gpg itself (no passphrase). */
public final class Gpg implements AutoCloseable {
  private final Path home;
  private final String email;

  private Gpg(Path home, String email) {
    this.home = home;
    this.email = email;
  }

  public static Gpg withKey(String name, String email) {
    try {
      Path home = Files.createTempDirectory("gnupg-");
      Sh.must("chmod", "700", home.toString());
      Gpg g = new Gpg(home, email);
      g.must("--batch", "--passphrase", "", "--quick-gen-key", name + " <" + email + ">", "default", "default", "never");
      return g;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path home() {
    return home;
  }

  public String email() {
    return email;
  }

  public ProcessResult run(byte[] stdin, String... args) {
    List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--no-tty", "--quiet"));
    cmd.addAll(List.of(args));
    Command c = Command.of(cmd).env("GNUPGHOME", home.toString()).timeout(Duration.ofMinutes(2));
    return (stdin == null ? c : c.stdin(stdin)).attempt();
  }

  public ProcessResult must(String... args) {
    ProcessResult r = run(null, args);
    if (!r.ok()) {
      throw new IllegalStateException("gpg " + String.join(" ", args) + ": " + r.stderr());
    }
    return r;
  }

  public String publicKey() {
    return must("--armor", "--export", email).stdout();
  }

  /** The secret key exported to a file, for Bouncy Castle decryption. */
  public Path secretKeyFile() {
    try {
      Path f = home.resolve("secret.asc");
      Files.writeString(f, must("--pinentry-mode", "loopback", "--passphrase", "", "--armor",
          "--export-secret-keys", email).stdout());
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String fingerprint() {
    return must("--with-colons", "--fingerprint", email).stdout().lines()
        .filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
  }

  /** Decrypts a file with gpg; the result's exit code tells whether this key could. */
  public ProcessResult decrypt(Path file) {
    return run(null, "--decrypt", file.toString());
  }

  @Override
  public void close() {
    Command.of("gpgconf", "--kill", "all").env("GNUPGHOME", home.toString()).timeout(Duration.ofSeconds(10)).attempt();
    Sh.run("rm", "-rf", home.toString());
  }
}

package dev.gantry.ci.testing;

import dev.gantry.core.process.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates made by the real {@code openssl} in a folder, for the CI's TLS tests: the team's
 * CA ({@code ca.crt}) and another ({@code other.crt}); a server certificate for 127.0.0.1 and
 * localhost ({@code server.crt}, {@code server.key}) and an expired one of the same key
 * ({@code expired.crt}); client certificates {@code builder} (the team's CA) and
 * {@code stranger} (the other CA).
 *
 * <pre>{@code
 * Path pki = OpensslPki.create(tmp.resolve("pki"));
 * fx.servingTls(pki.resolve("server.crt"), pki.resolve("server.key"));
 * }</pre>
 */
public final class OpensslPki {
  private OpensslPki() {}

  public static Path create(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
    for (String[] ca : new String[][] {{"ca", "Team CA"}, {"other", "Other CA"}}) {
      run(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
          ca[0] + ".key", "-out", ca[0] + ".crt", "-subj", "/CN=" + ca[1], "-days", "2");
    }
    request(dir, "server", "ci");
    sign(dir, "server", "ca", "server.crt", "2", "san.ext");
    sign(dir, "server", "ca", "expired.crt", "0", "san.ext"); // -days 0: not after the moment it was made
    request(dir, "builder", "builder");
    sign(dir, "builder", "ca", "builder.crt", "2", "client.ext");
    request(dir, "stranger", "stranger");
    sign(dir, "stranger", "other", "stranger.crt", "2", "client.ext");
    return dir;
  }

  /** Runs openssl in {@code dir} and returns what it printed; a failure fails the test. */
  public static String run(Path dir, String... args) {
    List<String> argv = new ArrayList<>(List.of("openssl"));
    argv.addAll(List.of(args));
    return Command.of(argv).dir(dir).timeout(Duration.ofSeconds(30)).run().requireOk("openssl " + args[0]).stdout();
  }

  private static void request(Path dir, String name, String cn) {
    run(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key",
        "-out", name + ".csr", "-subj", "/CN=" + cn);
  }

  private static void sign(Path dir, String name, String ca, String out, String days, String ext) {
    run(dir, "x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-CAcreateserial",
        "-out", out, "-days", days, "-extfile", ext);
  }
}

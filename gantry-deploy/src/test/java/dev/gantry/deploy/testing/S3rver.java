package dev.gantry.deploy.testing;

import dev.gantry.core.target.LocalTarget;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * s3rver (npm), a local server speaking the S3 REST API, as the S3-compatible storage in
 * tests. Installed once into a cache folder with npm when missing; the test fails when it
 * cannot be installed or started.
 */
public final class S3rver implements AutoCloseable {
  public static final String ACCESS_KEY = "S3RVER";
  public static final String SECRET_KEY = "S3RVER";
  private static final Path HOME = Path.of(System.getProperty("user.home"), ".cache/gantry-test/s3rver");
  private final Process process;
  private final Path data;
  public final int port;

  private S3rver(Process process, Path data, int port) {
    this.process = process;
    this.data = data;
    this.port = port;
  }

  public static S3rver start(String bucket) throws IOException, InterruptedException {
    Path bin = HOME.resolve("node_modules/.bin/s3rver");
    if (!Files.exists(bin)) {
      Files.createDirectories(HOME);
      LocalTarget.thisMachine().run(Duration.ofMinutes(5), "npm", "install", "--prefix", HOME.toString(), "--no-audit", "--no-fund",
          "s3rver@3.7.1").requireOk("installing s3rver with npm (node and npm are needed)");
    }
    Path data = Files.createTempDirectory("s3rver");
    int port = Systems.freePort();
    Process p = new ProcessBuilder(bin.toString(), "-d", data.toString(), "-a", "127.0.0.1", "-p", String.valueOf(port),
        "--silent", "--configure-bucket", bucket).redirectErrorStream(true)
        .redirectOutput(data.resolveSibling(data.getFileName() + ".log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket probe = new Socket("127.0.0.1", port)) {
        probe.setSoTimeout(1000);
        return new S3rver(p, data, port);
      } catch (IOException e) {
        if (!p.isAlive()) {
          throw new AssertionError("s3rver exited with " + p.exitValue());
        }
        Thread.sleep(200);
      }
    }
    p.destroyForcibly();
    throw new AssertionError("s3rver did not listen on 127.0.0.1:" + port + " within 30s");
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    LocalTarget.thisMachine().run(Duration.ofSeconds(30), "rm", "-rf", data.toString());
  }
}

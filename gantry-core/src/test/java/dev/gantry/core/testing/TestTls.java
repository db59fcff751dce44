package dev.gantry.core.testing;

import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made once
 * per JVM with the JDK's {@code keytool}: a server context holding the key, and a client
 * context that trusts exactly that certificate.
 *
 * <pre>{@code
 * TestTls tls = TestTls.get();
 * FakeSmtpServer smtp = FakeSmtpServer.builder().startTls(tls.server()).start();
 * SmtpSettings s = ....security(STARTTLS).sslContext(tls.client());
 * }</pre>
 */
public final class TestTls {
  /** The key store password (the key store only lives in a temporary folder). */
  public static final String PASSWORD = "test-only";
  private static TestTls instance;

  private final Path keyStore;
  private final SSLContext server;
  private final SSLContext client;

  private TestTls(Path keyStore, SSLContext server, SSLContext client) {
    this.keyStore = keyStore;
    this.server = server;
    this.client = client;
  }

  public static synchronized TestTls get() {
    if (instance == null) {
      instance = create();
    }
    return instance;
  }

  /** Holds the key and certificate; type PKCS12, password {@link #PASSWORD}. */
  public Path keyStore() {
    return keyStore;
  }

  public SSLContext server() {
    return server;
  }

  public SSLContext client() {
    return client;
  }

  private static TestTls create() {
    try {
      Path dir = Files.createTempDirectory("gantry-test-tls");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve("localhost.p12");
      String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
      ProcessResult r = Command.of(keytool, "-genkeypair", "-alias", "localhost", "-keyalg", "EC",
              "-groupname", "secp256r1", "-validity", "7", "-dname", "CN=localhost",
              "-ext", "san=dns:localhost,ip:127.0.0.1", "-keystore", file.toString(), "-storetype", "PKCS12",
              "-storepass", PASSWORD, "-keypass", PASSWORD)
          .timeout(Duration.ofSeconds(60)).run();
      if (!r.ok()) {
        throw new IllegalStateException("keytool failed: " + r.stderr() + r.stdout());
      }
      file.toFile().deleteOnExit();
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(file)) {
        keys.load(in, PASSWORD.toCharArray());
      }
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, PASSWORD.toCharArray());
      SSLContext server = SSLContext.getInstance("TLS");
      server.init(kmf.getKeyManagers(), null, null);

      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("localhost", keys.getCertificate("localhost"));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      SSLContext client = SSLContext.getInstance("TLS");
      client.init(null, tmf.getTrustManagers(), null);
      return new TestTls(file, server, client);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up the test certificate", e);
    }
  }
}

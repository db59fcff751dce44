package dev.gantry.monitor;

import java.nio.file.Path;
import java.util.List;

/**
 * Throwaway certificates made with the real openssl: a CA, a server certificate for
 * 127.0.0.1 and localhost, and a client certificate, all signed by the CA (PEM, PKCS#8 keys).
 */
public record Pki(Path dir) {

  public static Pki create(Path dir, int serverDays) {
    Pki p = new Pki(dir);
    p.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "30",
        "-subj", "/CN=Gantry Test CA");
    p.leaf("server", "/CN=localhost", serverDays, "subjectAltName=IP:127.0.0.1,DNS:localhost");
    p.leaf("client", "/CN=collector", 30, "extendedKeyUsage=clientAuth");
    p.openssl("pkcs12", "-export", "-in", "server.crt", "-inkey", "server.key", "-out", "server.p12", "-passout", "pass:test-only");
    return p;
  }

  private void leaf(String name, String subject, int days, String ext) {
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject);
    openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out",
        name + ".crt", "-days", Integer.toString(days), "-extfile", "/dev/stdin".equals(ext) ? ext : writeExt(name, ext));
  }

  private String writeExt(String name, String ext) {
    try {
      Path f = dir.resolve(name + ".ext");
      java.nio.file.Files.writeString(f, ext + "\n");
      return f.toString();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private void openssl(String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Proc.run(cmd, dir, java.util.Map.of(), 60).ok();
  }

  public Path file(String name) {
    return dir.resolve(name);
  }
}

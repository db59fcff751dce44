package dev.gantry.cloud.lab;

import dev.gantry.core.process.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What a lab host leaves on the machine, read from the kernel's own listings. */
public final class LabTrace {
  private LabTrace() {}

  /** {@code ip netns list}, names only. */
  public static List<String> namespaces() {
    List<String> out = new ArrayList<>();
    for (String line : Exec.run("ip", "netns", "list").split("\n")) {
      if (!line.isBlank()) {
        out.add(line.trim().split("\\s+")[0]);
      }
    }
    return out;
  }

  /** Mount points under {@code dir} in /proc/mounts. */
  public static List<String> mountsUnder(Path dir) throws IOException {
    return Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> l.split(" ")[1])
        .filter(p -> p.startsWith(dir.toString())).toList();
  }

  /** Processes whose root directory is inside {@code dir} (those chrooted into a lab host). */
  public static List<Long> processesRootedUnder(Path dir) throws IOException {
    List<Long> out = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
        try {
          Path root = Files.readSymbolicLink(p.resolve("root"));
          if (root.startsWith(dir)) {
            out.add(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException gone) {
          // the process ended while we looked
        }
      }
    }
    return out;
  }

  /** cgroup directories named for lab machine {@code name}, in any hierarchy, near its root or the launcher's cgroup. */
  public static List<String> cgroupsOf(String name) {
    String out = Exec.attempt(java.time.Duration.ofSeconds(30), List.of("find", "/sys/fs/cgroup", "-maxdepth", "5",
        "-type", "d", "-name", "gantry-lab-" + name)).stdout();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  /** nspawn's own leftovers for a machine on this machine. */
  public static boolean nspawnStateExists(String name) {
    return Files.exists(Path.of("/run/systemd/nspawn/propagate", name));
  }

  /** The cached root filesystem lab machines boot, made by scripts/lab-rootfs on first use. */
  public static Path machineRootfs() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path script = d.resolve("scripts/lab-rootfs");
      if (Files.isExecutable(script)) {
        return Path.of(Exec.run(java.time.Duration.ofMinutes(15), script.toString()).strip());
      }
    }
    throw new IllegalStateException("scripts/lab-rootfs not found above " + Path.of("").toAbsolutePath());
  }

  public static boolean linkExists(String name) {
    return Files.exists(Path.of("/sys/class/net", name));
  }

  /** Runs the real OpenSSH client against a lab host. */
  public static ProcessResult ssh(Path key, String user, String address, String command) {
    return ssh(key, user, address, command, java.time.Duration.ofSeconds(30));
  }

  /** As {@link #ssh(Path, String, String, String)}, for commands that may take up to {@code limit}. */
  public static ProcessResult ssh(Path key, String user, String address, String command, java.time.Duration limit) {
    return Exec.attempt(limit, List.of("ssh", "-i", key.toString(),
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
        "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR", user + "@" + address, command));
  }

  /**
   * {@code prefix} with a suffix unique to this run, for lab hosts: their names become names
   * of network namespaces, which every run on this machine shares.
   */
  public static String uniqueName(String prefix) {
    return prefix + "-" + Long.toString(ProcessHandle.current().pid(), 36)
        + Integer.toString(java.util.concurrent.ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
  }

  /** A fresh ed25519 key pair; returns the private key's path (public key beside it, .pub). */
  public static Path keyPair(Path dir) {
    Path key = dir.resolve("id_ed25519");
    Exec.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "gantry-test", "-f", key.toString());
    return key;
  }

  /** Whether a TCP connection to {@code address:port} opens within two seconds. */
  public static boolean connects(String address, int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress(address, port), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** An HTTP client that trusts the CA whose certificate is the PEM file {@code caPem}, and no other. */
  public static java.net.http.HttpClient trusting(Path caPem) throws Exception {
    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (var in = Files.newInputStream(caPem)) {
      trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    var ssl = javax.net.ssl.SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return java.net.http.HttpClient.newBuilder().sslContext(ssl).connectTimeout(java.time.Duration.ofSeconds(5)).build();
  }

  /** The output of {@code command} run as root on {@code address}; an assertion failure naming it and its errors when it fails. */
  public static String rootOutput(Path key, String address, String command, java.time.Duration limit) {
    ProcessResult r = ssh(key, "root", address, command, limit);
    if (r.exitCode() != 0) {
      throw new AssertionError(address + ": " + command + ": exit " + r.exitCode() + ": " + r.stderr());
    }
    return r.stdout();
  }

  /** {@code GET url} on a fresh client: the status and the body, stripped ({@code "200 ok"}). */
  public static String get(String url) throws Exception {
    java.net.http.HttpClient c = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();
    java.net.http.HttpResponse<String> r = c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
        .timeout(java.time.Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body().strip();
  }
}

package dev.gantry.host.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.FileStat;
import dev.gantry.core.target.Target;
import dev.gantry.host.testing.ChrootSshd;
import dev.gantry.host.testing.Sh;
import dev.gantry.host.testing.TestRootfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("integration")
class SshConnectionTest {
  // One tree and sshd for the class. Each method writes only files and users of its own,
  // so any method runs alone and the order does not matter.
  static TestRootfs fs;
  static ChrootSshd sshd;

  @BeforeAll
  static void start() {
    fs = TestRootfs.create("ssh");
    sshd = ChrootSshd.start(fs);
  }

  @AfterAll
  static void stop() {
    if (sshd != null) {
      sshd.close();
    }
    if (fs != null) {
      fs.close();
    }
  }

  private SshEndpoint endpoint(String user) {
    return user.equals("root") ? sshd.root() : sshd.sudoUser();
  }

  @ParameterizedTest
  @ValueSource(strings = {"root", "deploy"})
  void runsCommandsAndFileOperationsAsRoot(String user) throws Exception {
    try (SshConnection ssh = SshConnection.connect(endpoint(user), sshd.options())) {
      assertThat(ssh.exec("id -un").stdout().strip()).isEqualTo(user);
      assertThat(ssh.exec(ssh.privileged("id -un")).stdout().strip()).isEqualTo("root");
      assertThat(ssh.exec("cat", "from stdin".getBytes(UTF_8)).stdout()).isEqualTo("from stdin");

      Target t = ssh.target();
      ProcessResult r = t.run(List.of("sh", "-c", "echo \"$1\"; exit 4", "sh", "it's quoted"), null);
      assertThat(r.exitCode()).isEqualTo(4);
      assertThat(r.stdout()).isEqualTo("it's quoted\n");

      String path = "/etc/gantry-ssh-" + user;
      assertThat(t.read(path)).isEmpty();
      assertThat(t.stat(path)).isEmpty();
      t.write(path, "one\n".getBytes(UTF_8), FileAttrs.mode(0640).withOwner("deploy", "root"));
      assertThat(Files.readString(fs.path(path))).isEqualTo("one\n");
      FileStat st = t.stat(path).orElseThrow();
      assertThat(st.isFile()).isTrue();
      assertThat(st.mode()).isEqualTo(0640);
      assertThat(st.owner()).isEqualTo("deploy");
      assertThat(st.group()).isEqualTo("root");
      t.write(path, new byte[] {0, 1, 2, (byte) 255}, FileAttrs.KEEP);
      assertThat(t.read(path).orElseThrow()).containsExactly(0, 1, 2, 255);
      assertThat(t.stat(path).orElseThrow().mode()).isEqualTo(0640);
      assertThat(t.stat("/etc/ssh").orElseThrow().isDirectory()).isTrue();
      Files.createSymbolicLink(fs.path("/etc/gantry-link-" + user), Path.of("gantry-ssh-" + user));
      FileStat link = t.stat("/etc/gantry-link-" + user).orElseThrow();
      assertThat(link.isSymlink()).isTrue();
      assertThat(link.linkTarget()).isEqualTo("gantry-ssh-" + user);
      assertThatThrownBy(() -> t.write("/no/such/dir/file", new byte[0], FileAttrs.KEEP))
          .hasMessageContaining("/no/such/dir").hasMessageContaining("does not exist");
      try (var files = Files.list(fs.path("/etc"))) {
        assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".gantry-"))).isEmpty();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"root", "deploy"})
  void runsWithEnvironmentAndTimeoutAndStreamsFilesAsRoot(String user) throws Exception {
    try (SshConnection ssh = SshConnection.connect(endpoint(user), sshd.options())) {
      Target t = ssh.target();
      assertThat(t.name()).isEqualTo("ssh " + endpoint(user));
      ProcessResult r = t.run(List.of("sh", "-c", "echo \"$GREETING, $(id -un)\""), java.util.Map.of("GREETING", "hello world"),
          Duration.ofSeconds(20));
      assertThat(r.stdout()).isEqualTo("hello world, root\n");

      ProcessResult slow = t.run(Duration.ofSeconds(1), "sleep", "30");
      assertThat(slow.timedOut()).isTrue();
      assertThat(slow.ok()).isFalse();
      assertThat(slow.duration()).isLessThan(Duration.ofSeconds(20));

      byte[] blob = new byte[200_001];
      new java.util.Random(3).nextBytes(blob);
      String path = "/srv/gantry-stream-" + user + "/blob.bin";
      t.upload(new java.io.ByteArrayInputStream(blob), path);
      assertThat(Files.readAllBytes(fs.path(path))).isEqualTo(blob);
      java.io.ByteArrayOutputStream back = new java.io.ByteArrayOutputStream();
      t.download(path, back);
      assertThat(back.toByteArray()).isEqualTo(blob);
      assertThatThrownBy(() -> t.download(path + ".missing", new java.io.ByteArrayOutputStream()))
          .hasMessageContaining(path + ".missing").hasMessageContaining(t.name());
      t.writeMakingFolders("/srv/gantry-stream-" + user + "/new/app.env", "K=V\n".getBytes(UTF_8), FileAttrs.secretIf(true));
      assertThat(t.stat("/srv/gantry-stream-" + user + "/new/app.env").orElseThrow().octalMode()).isEqualTo("0600");
      assertThat(t.list("/srv/gantry-stream-" + user)).containsExactly("blob.bin", "new");
    }
  }

  @Test
  void streamsOutputLines() {
    try (SshConnection ssh = SshConnection.connect(sshd.root(), sshd.options())) {
      List<String> out = new ArrayList<>();
      List<String> err = new ArrayList<>();
      int code = ssh.exec("echo a; echo b >&2; echo c", null, out::add, err::add, Duration.ofSeconds(20));
      assertThat(code).isZero();
      assertThat(out).containsExactly("a", "c");
      assertThat(err).containsExactly("b");
    }
  }

  @Test
  void refusesAnUnknownHostKeyUnlessAccepted() throws Exception {
    Path kh = sshd.clientDir().resolve("empty_known_hosts");
    Files.deleteIfExists(kh);
    SshOptions opts = sshd.options().withKnownHosts(kh);
    assertThatThrownBy(() -> SshConnection.connect(sshd.root(), opts))
        .isInstanceOf(SshFailure.class)
        .satisfies(e -> assertThat(((SshFailure) e).kind()).isEqualTo(SshFailure.Kind.HOST_KEY_UNKNOWN))
        .hasMessageContaining("[127.0.0.1]:" + sshd.port())
        .hasMessageContaining("--accept-new-host-key");
    try (SshConnection ssh = SshConnection.connect(sshd.root(), opts.acceptingNewHostKey(true))) {
      assertThat(ssh.exec("true").ok()).isTrue();
    }
    assertThat(Files.readString(kh)).contains("[127.0.0.1]:" + sshd.port());
    try (SshConnection ssh = SshConnection.connect(sshd.root(), opts)) {
      assertThat(ssh.exec("true").ok()).isTrue();
    }
  }

  @Test
  void connectionsMadeAtOnceAllRecordTheNewHostKeyInOneFile() throws Exception {
    // a spin connects to every host at once: the first key recorded creates the file, the others append
    Path kh = sshd.clientDir().resolve("concurrent_known_hosts");
    Files.deleteIfExists(kh);
    SshOptions opts = sshd.options().withKnownHosts(kh).acceptingNewHostKey(true);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
    try {
      java.util.List<java.util.concurrent.Future<Boolean>> all = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        all.add(pool.submit(() -> {
          try (SshConnection ssh = SshConnection.connect(sshd.root(), opts)) {
            return ssh.exec("true").ok();
          }
        }));
      }
      for (var f : all) {
        assertThat(f.get(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(Files.readString(kh)).contains("[127.0.0.1]:" + sshd.port());
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(kh))).isEqualTo("rw-------");
    try (SshConnection ssh = SshConnection.connect(sshd.root(), sshd.options().withKnownHosts(kh))) {
      assertThat(ssh.exec("true").ok()).isTrue();
    }
  }

  @Test
  void aHostKnownByAKeyOfAnotherTypeThanTheClientPrefersIsAskedForThatType() throws Exception {
    // OpenSSH recorded the host first, with the type it prefers: Gantry asks for that type too
    for (String type : List.of("ed25519", "rsa", "ecdsa")) {
      Path kh = sshd.clientDir().resolve("known_hosts_" + type);
      String line = Sh.must("ssh-keyscan", "-t", type, "-p", String.valueOf(sshd.port()), "127.0.0.1").stdout().strip();
      assertThat(line).as("ssh-keyscan -t " + type).isNotEmpty();
      Files.writeString(kh, line + "\n");
      try (SshConnection ssh = SshConnection.connect(sshd.root(), sshd.options().withKnownHosts(kh))) {
        assertThat(ssh.exec("true").ok()).as(type).isTrue();
      }
    }
  }

  @Test
  void refusesAChangedHostKey() throws Exception {
    Path other = sshd.clientDir().resolve("other");
    Files.createDirectories(other);
    Sh.must("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.resolve("k").toString());
    String[] f = Files.readString(other.resolve("k.pub")).strip().split("\\s+");
    Path kh = sshd.clientDir().resolve("wrong_known_hosts");
    Files.writeString(kh, "[127.0.0.1]:" + sshd.port() + " " + f[0] + " " + f[1] + "\n");
    assertThatThrownBy(() -> SshConnection.connect(sshd.root(), sshd.options().withKnownHosts(kh)
        .acceptingNewHostKey(true)))
        .isInstanceOf(SshFailure.class)
        .satisfies(e -> assertThat(((SshFailure) e).kind()).isEqualTo(SshFailure.Kind.HOST_KEY_MISMATCH))
        .hasMessageContaining("HOST KEY MISMATCH");
  }

  @Test
  void reportsAnUnreachableHost() {
    SshEndpoint closed = new SshEndpoint("127.0.0.1", ChrootSshd.freePort(), "root");
    assertThatThrownBy(() -> SshConnection.connect(closed, sshd.options()))
        .isInstanceOf(SshFailure.class)
        .satisfies(e -> assertThat(((SshFailure) e).kind()).isEqualTo(SshFailure.Kind.UNREACHABLE))
        .hasMessageContaining("cannot reach 127.0.0.1:" + closed.port());
  }

  @Test
  void reportsAUserWithoutSudo() {
    Sh.must("chroot", fs.dir().toString(), "sh", "-c", "useradd -m -s /bin/bash nosudo && install -d -m 0700 -o nosudo"
        + " /home/nosudo/.ssh && cp /root/.ssh/authorized_keys /home/nosudo/.ssh/ && chown nosudo /home/nosudo/.ssh/authorized_keys");
    assertThatThrownBy(() -> SshConnection.connect(new SshEndpoint("127.0.0.1", sshd.port(), "nosudo"), sshd.options()))
        .isInstanceOf(SshFailure.class)
        .satisfies(e -> assertThat(((SshFailure) e).kind()).isEqualTo(SshFailure.Kind.NO_SUDO))
        .hasMessageContaining("cannot run sudo without a password");
  }

  @Test
  void aListenerThatNeverSpeaksSshIsReportedAsSuchWithinTheConnectTimeout() throws Exception {
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread acceptor = Thread.ofVirtual().start(() -> {
        List<java.net.Socket> held = new java.util.ArrayList<>();
        try {
          while (true) {
            held.add(silent.accept()); // accepted and held open, never a byte written
          }
        } catch (java.io.IOException closed) {
          held.forEach(h -> {
            try {
              h.close();
            } catch (java.io.IOException ignored) {
              // closing anyway
            }
          });
        }
      });
      SshEndpoint ep = new SshEndpoint("127.0.0.1", silent.getLocalPort(), "root");
      long start = System.nanoTime();
      assertThatThrownBy(() -> SshConnection.connect(ep, sshd.options().withConnectTimeout(Duration.ofSeconds(2))))
          .isInstanceOf(SshFailure.class)
          .satisfies(e -> assertThat(((SshFailure) e).kind()).isEqualTo(SshFailure.Kind.NO_BANNER))
          .hasMessage("127.0.0.1:" + ep.port() + " accepted the TCP connection but sent no SSH greeting within 2 s:"
              + " is something other than sshd listening on port " + ep.port() + ", or is sshd overloaded?");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(4));
      silent.close();
      acceptor.join();
    }
  }

  @Test
  void aTcpConnectThatIsNeverAnsweredTimesOutWithItsOwnMessage() throws Exception {
    // a listener that never accepts, its backlog full: Linux then drops further SYNs, as a firewall would
    try (java.net.ServerSocket full = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      List<java.net.Socket> queued = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          java.net.Socket q = new java.net.Socket();
          q.connect(full.getLocalSocketAddress(), 500);
          queued.add(q);
        }
      } catch (java.io.IOException filled) {
        // the backlog is full
      }
      SshEndpoint ep = new SshEndpoint("127.0.0.1", full.getLocalPort(), "root");
      assertThatThrownBy(() -> SshConnection.connect(ep, sshd.options().withConnectTimeout(Duration.ofSeconds(1))))
          .isInstanceOf(SshFailure.class)
          .satisfies(e -> assertThat(((SshFailure) e).kind()).isEqualTo(SshFailure.Kind.CONNECT_TIMEOUT))
          .hasMessageContaining("cannot reach 127.0.0.1:" + ep.port() + ": the TCP connection was not accepted within 1 s");
      for (java.net.Socket q : queued) {
        q.close();
      }
    }
  }

  @Test
  void aKeyTheHostDoesNotAcceptIsAnAuthenticationRefusal() throws Exception {
    Path other = sshd.clientDir().resolve("stranger");
    Files.createDirectories(other);
    Files.deleteIfExists(other.resolve("k"));
    Files.deleteIfExists(other.resolve("k.pub"));
    Sh.must("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.resolve("k").toString());
    assertThatThrownBy(() -> SshConnection.connect(sshd.root(), sshd.options().withIdentity(other.resolve("k"))))
        .isInstanceOf(SshFailure.class)
        .satisfies(e -> assertThat(((SshFailure) e).kind()).isEqualTo(SshFailure.Kind.AUTHENTICATION))
        .hasMessageContaining("refused to log in with the key(s) [" + other.resolve("k") + "]");
  }

  @Test
  void aConnectTimeoutOfZeroIsRefused() {
    assertThatThrownBy(() -> sshd.options().withConnectTimeout(Duration.ZERO))
        .isInstanceOf(dev.gantry.core.UserError.class)
        .hasMessage("the SSH connect timeout (--connect-timeout) must be more than 0");
  }
}

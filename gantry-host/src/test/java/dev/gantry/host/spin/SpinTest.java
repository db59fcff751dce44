package dev.gantry.host.spin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.HostSelection;
import dev.gantry.core.tls.PemFiles;
import dev.gantry.host.apply.PropertyOutcome;
import dev.gantry.host.cli.CaCommand;
import dev.gantry.host.cli.HostCommand;
import dev.gantry.host.cli.VaultCommand;
import dev.gantry.host.property.Status;
import dev.gantry.host.ssh.SshOptions;
import dev.gantry.host.testing.ChrootSshd;
import dev.gantry.host.testing.Cli;
import dev.gantry.host.testing.Gpg;
import dev.gantry.host.testing.Sh;
import dev.gantry.host.testing.TestRootfs;
import dev.gantry.host.vault.KeyFileDecryptor;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: spinning a real Debian root filesystem over real OpenSSH, as root and as a
 * sudo user, with the runtime uploaded once, secrets from the vault, dry-run diffs,
 * failures, a killed run, and each kind of bad input.
 *
 * <p>Each method spins a host of its own: a copy of one of two trees made once in
 * {@link #templates()} and never changed after, the prepared host before any spin and the
 * same host after one spin of "web", with its own sshd and its own infrastructure repository.
 * So any method runs alone, in any order, whatever another one left behind.
 */
@Tag("integration")
class SpinTest {
  static final String SECRET = "s3cret-db-pass-7f1c";

  /** This class's own: the templates' work and the runtime cache (filled by the first spin). */
  @TempDir static Path shared;
  static Gpg alice;
  static String aliceSshKey;
  /** The prepared host before any spin: git, and a repository at /srv/origin.git for Git.cloned. */
  static TestRootfs fresh;
  /** The prepared host after one spin of "web": every property of the definition holds. */
  static TestRootfs converged;

  @TempDir Path work;
  Host host;

  @BeforeAll
  static void templates() throws Exception {
    alice = Gpg.withKey("Alice", "alice@example.org");
    Path sshKey = shared.resolve("alice_ed25519");
    Sh.must("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice@example.org", "-f", sshKey.toString());
    aliceSshKey = Files.readString(Path.of(sshKey + ".pub")).strip();
    fresh = TestRootfs.create("spin");
    Sh.must("chroot", fresh.dir().toString(), "sh", "-c", "set -e; apt-get install -y -q git >/dev/null;"
        + " git init -q -b main /srv/work; cd /srv/work; git -c user.name=t -c user.email=t@e commit -q --allow-empty"
        + " -m one; git tag v1; git clone -q --bare /srv/work /srv/origin.git");
    converged = fresh.copy("spin-converged");
    Host first = Host.start(converged, Files.createDirectories(shared.resolve("converging")));
    try {
      HostReport r = first.spin("web", false);
      assertThat(r.error()).as("the first spin of the template").isNull();
      assertThat(r.summary().failed()).as("failed properties in the template's spin").isZero();
    } finally {
      first.sshd.close(); // the tree stays: it is the template
    }
  }

  @AfterAll
  static void removeTemplates() {
    if (converged != null) {
      converged.close();
    }
    if (fresh != null) {
      fresh.close();
    }
    if (alice != null) {
      alice.close();
    }
  }

  /** This method's host: a copy of {@code template}, removed after the method. */
  Host hostFrom(TestRootfs template) throws Exception {
    host = Host.start(template.copy("spin"), work);
    return host;
  }

  @AfterEach
  void removeHost() {
    if (host != null) {
      host.close();
    }
  }

  static Path runtimeCache() {
    return shared.resolve("runtime-cache");
  }

  /** A copy of a template with its own sshd, and an infrastructure repository (and origin) that spins it. */
  static final class Host implements AutoCloseable {
    final TestRootfs fs;
    final ChrootSshd sshd;
    final Path repo;
    final Path origin;

    private Host(TestRootfs fs, ChrootSshd sshd, Path repo, Path origin) {
      this.fs = fs;
      this.sshd = sshd;
      this.repo = repo;
      this.origin = origin;
    }

    static Host start(TestRootfs fs, Path dir) throws Exception {
      ChrootSshd sshd;
      try {
        sshd = ChrootSshd.start(fs);
      } catch (RuntimeException e) {
        fs.close();
        throw e;
      }
      Host h = new Host(fs, sshd, dir.resolve("infra-repo"), dir.resolve("infra-origin.git"));
      try {
        infraRepo(h.repo, h.origin);
        h.writeDefinition("Managed by Gantry\\n");
        return h;
      } catch (Exception | AssertionError e) {
        h.close();
        throw e;
      }
    }

    void writeDefinition(String motd) throws Exception {
      SpinTest.writeDefinition(repo, sshd.port(), motd);
    }

    SpinOptions options(boolean dryRun) {
      return new SpinOptions(dryRun, 4, sshd.options(), runtimeCache(),
          () -> KeyFileDecryptor.read(alice.secretKeyFile(), ""), Duration.ofSeconds(2), true);
    }

    HostReport spin(String name, boolean dryRun) {
      Spinner.SpinReport r = Spinner.spin(repo, List.of(name), options(dryRun), SpinListener.NONE);
      return r.hosts().get(0);
    }

    Cli.Run cli(String... args) {
      String[] base = {"spin", "--infra", repo.toString(), "--known-hosts", sshd.knownHosts().toString(),
          "-i", sshd.key().toString(), "--secret-key", alice.secretKeyFile().toString()};
      String[] all = new String[base.length + args.length];
      System.arraycopy(base, 0, all, 0, base.length);
      System.arraycopy(args, 0, all, base.length, args.length);
      return Cli.run(new HostCommand(), all);
    }

    /** Processes whose root is this host's root filesystem and whose command line contains {@code text}. */
    List<ProcessHandle> processesInChroot(String text) {
      return ProcessHandle.allProcesses().filter(p -> {
        try {
          return Files.readSymbolicLink(Path.of("/proc/" + p.pid() + "/root")).equals(fs.dir())
              && p.info().commandLine().orElse("").contains(text);
        } catch (Exception e) {
          return false;
        }
      }).toList();
    }

    /** Kills (SIGKILL) the Gantry runtime running inside this host, by pid. */
    boolean killRuntimeInChroot() {
      List<ProcessHandle> runtime = processesInChroot("gantry-host.jar");
      runtime.forEach(ProcessHandle::destroyForcibly);
      return !runtime.isEmpty();
    }

    @Override
    public void close() {
      sshd.close();
      fs.close();
    }
  }

  /** A git repository with an origin, and a vault whose key is alice's holding the secret for "web". */
  static void infraRepo(Path repo, Path origin) {
    Sh.must("git", "init", "-q", "--bare", origin.toString());
    Sh.must("git", "init", "-q", "-b", "main", repo.toString());
    Sh.must("git", "-C", repo.toString(), "config", "user.name", "Spin Test");
    Sh.must("git", "-C", repo.toString(), "config", "user.email", "spin@example.org");
    Sh.must("git", "-C", repo.toString(), "remote", "add", "origin", origin.toString());
    Cli.Run add = Cli.run(new VaultCommand(new ByteArrayInputStream(alice.publicKey().getBytes(StandardCharsets.UTF_8))),
        "add-key", "-", "--infra", repo.toString());
    assertThat(add.code()).as(add.err()).isZero();
    Cli.Run set = Cli.run(new VaultCommand(new ByteArrayInputStream(SECRET.getBytes(StandardCharsets.UTF_8))),
        "set", "db-password", "web", "--infra", repo.toString());
    assertThat(set.code()).as(set.err()).isZero();
  }

  /** The definition: 34 library properties on "web" (root) and "web-sudo" (the same host as a sudo user). */
  static void writeDefinition(Path repo, int port, String motd) throws Exception {
    String swappiness = Files.readString(Path.of("/proc/sys/vm/swappiness")).strip();
    Files.createDirectories(repo.resolve("infra"));
    Files.writeString(repo.resolve("infra/Infra.java"), """
        import dev.gantry.core.infra.*;
        import dev.gantry.host.lib.*;
        import dev.gantry.host.property.*;
        import dev.gantry.core.target.FileAttrs;
        import java.util.List;

        public class Infra implements InfrastructureDefinition {
          static final int PORT = %d;

          static Property[] web() {
            return new Property[] {
              File.hasContent("/etc/motd", "%s"),
              File.directory("/etc/gantry", FileAttrs.mode(0755)),
              File.hasContent("/etc/gantry/app.conf", "port = 8080\\n", FileAttrs.mode(0640).withOwner("root", "adm")),
              File.containsLines("/etc/environment", "EDITOR=vi"),
              File.lacksLines("/etc/environment", "BAD=1"),
              File.symlink("/etc/gantry/current", "app.conf"),
              File.mode("/etc/issue", 0600),
              File.ownedBy("/etc/issue.net", "root", "adm"),
              File.absent("/etc/gantry/stale"),
              File.hasSecret("/etc/gantry/db.pw", SecretRef.of("db-password", "web"), FileAttrs.KEEP),
              Apt.updated(),
              Apt.installed("hello"),
              Apt.removed("sl"),
              Group.exists("ops"),
              User.exists("alice"),
              User.inGroup("alice", "ops"),
              User.hasSudo("alice"),
              Ssh.authorizedKey("alice", "%s"),
              Ssh.setting("X11Forwarding", "no"),
              Locale.defaultIs("en_US.UTF-8"),
              Timezone.is("Asia/Singapore"),
              Hostname.is("web.example.com"),
              Cron.job("gantry-backup", "15 3 * * *", "root", "/usr/local/bin/backup"),
              Sysctl.set("vm.swappiness", "%s"),
              Swap.file("/swapfile", 4),
              Props.once("initialized", File.hasContent("/var/lib/gantry-init", "done\\n")),
              Cmd.scripted("marker present", "test -f /etc/gantry/marker", "touch /etc/gantry/marker"),
              Git.cloned("/srv/app", "file:///srv/origin.git", "v1", "root"),
              Apt.installed("systemd"),
              Systemd.unit("gantry-hello.service", "[Service]\\nExecStart=/usr/bin/hello\\n[Install]\\nWantedBy=multi-user.target\\n"),
              Systemd.enabled("gantry-hello.service"),
              Nftables.allowingTcp(22, 80, 443),
              File.directory("/srv/www", new FileAttrs(0750, "www-data", "www-data")),
              Apt.unattendedUpgrades(),
            };
          }

          public void define(Infrastructure i) {
            i.host("web").address("127.0.0.1").sshPort(PORT).role("production").tags("eu").with(web());
            i.host("web-sudo").address("127.0.0.1").sshPort(PORT).user("deploy").role("production").with(web());
            i.host("web-fail").address("127.0.0.1").sshPort(PORT).with(
                File.hasContent("/etc/gantry-fail-before", "a\\n"),
                Cmd.run("a command that fails", "sh", "-c", "echo broken on purpose >&2; exit 3"),
                File.hasContent("/etc/gantry-fail-after", "b\\n"));
            i.host("web-big").address("127.0.0.1").sshPort(PORT).with(new Property() {
              public String describe() { return "a big file written atomically"; }
              public Result apply(Context c) {
                byte[] big = new byte[400_000_000];
                java.util.Arrays.fill(big, (byte) 'x');
                c.target().write("/srv/big", big, FileAttrs.mode(0644));
                return Result.madeChange("wrote /srv/big");
              }
            });
            i.host("web-slow").address("127.0.0.1").sshPort(PORT).role("slow").tags("eu")
                .with(Cmd.run("sleep", "sleep", "20"));
            i.host("vh").address("127.0.0.1").sshPort(PORT).with(
                File.hasContent("/etc/vh/app.conf", "port = 8080\\n"),
                Apt.installed("vh-no-such-pkg"));
            i.host("vh-fixed").address("127.0.0.1").sshPort(PORT).with(
                File.directory("/etc/vh"),
                File.hasContent("/etc/vh/app.conf", "port = 8080\\n"),
                Apt.installed("hello"));
            i.host("web-nosecret").address("127.0.0.1").sshPort(PORT)
                .with(File.hasSecret("/etc/other.pw", SecretRef.forHost("api-token"), FileAttrs.KEEP));
            i.host("web-tls").address("127.0.0.1").sshPort(PORT).with(
                File.directory("/etc/gantry/tls"),
                Certificates.server("web", "/etc/gantry/tls/web.crt", "/etc/gantry/tls/web.key", "web.example.org", "127.0.0.1"));
            i.host("nowhere").address("127.0.0.1").sshPort(%d).with(File.hasContent("/etc/x", "x"));
            i.host("recorded-nowhere").sshPort(%d).with(File.hasContent("/etc/x", "x"));
          }
        }
        """.formatted(port, motd, aliceSshKey, swappiness, ChrootSshd.freePort(), ChrootSshd.freePort()));
  }

  @Test
  void thirtyPropertiesConvergeOnTheFirstSpinAndHoldOnTheSecondAsRootAndWithSudo() throws Exception {
    Host h = hostFrom(fresh);
    HostReport first = h.spin("web", false);
    assertThat(first.error()).isNull();
    assertThat(first.outcomes()).hasSize(34);
    assertThat(first.outcomes()).allSatisfy(o -> assertThat(o.result().status())
        .as(o.describe() + ": " + o.result().message()).isIn(Status.MADE_CHANGE, Status.NO_CHANGE));
    assertThat(first.outcomes().stream().filter(o -> o.result().status() == Status.MADE_CHANGE)).hasSizeGreaterThan(28);
    assertThat(first.runtimeUploaded()).isTrue();

    HostReport second = h.spin("web", false);
    assertThat(second.error()).isNull();
    assertThat(second.outcomes()).allSatisfy(o -> assertThat(o.result().status())
        .as(o.describe() + ": " + o.result().message()).isEqualTo(Status.NO_CHANGE));
    assertThat(second.runtimeUploaded()).isFalse();

    HostReport sudo = h.spin("web-sudo", false);
    assertThat(sudo.error()).isNull();
    assertThat(sudo.outcomes()).hasSize(34).allSatisfy(o -> assertThat(o.result().status())
        .as(o.describe() + ": " + o.result().message()).isEqualTo(Status.NO_CHANGE));

    assertThat(Files.readString(h.fs.path("/etc/motd"))).isEqualTo("Managed by Gantry\n");
    assertThat(Files.readString(h.fs.path("/etc/gantry/db.pw"))).isEqualTo(SECRET);
    assertThat(Sh.run("chroot", h.fs.dir().toString(), "hello").stdout()).contains("Hello, world!");
    // the secret is on the host's disk only where the property put it
    String hits = Sh.run("grep", "-rlF", "--exclude-dir=proc", "--exclude-dir=sys", "--exclude-dir=dev", SECRET,
        h.fs.dir().toString()).stdout();
    assertThat(hits.lines().toList()).containsExactly(h.fs.path("/etc/gantry/db.pw").toString());
    // the infrastructure repository was committed and pushed
    assertThat(Sh.must("git", "-C", h.origin.toString(), "log", "--format=%s", "main").stdout())
        .contains("gantry host spin web");
    assertThat(Sh.must("git", "-C", h.repo.toString(), "status", "--porcelain").stdout()).isEmpty();
  }

  @Test
  void dryRunAfterEditingOneFileShowsExactlyThatDiffAndChangesNothing() throws Exception {
    Host h = hostFrom(converged);
    // the repository as a spin leaves it: everything committed
    Sh.must("git", "-C", h.repo.toString(), "add", "-A");
    Sh.must("git", "-C", h.repo.toString(), "commit", "-q", "-m", "as spun");
    h.writeDefinition("Managed by Gantry, edited\\n");
    String head = Sh.must("git", "-C", h.repo.toString(), "rev-parse", "HEAD").stdout();
    Cli.Run r = h.cli("web", "--dry-run");
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    assertThat(r.out()).contains("would change  file /etc/motd has the given content: update /etc/motd",
        "      --- a/etc/motd", "      +++ b/etc/motd", "      -Managed by Gantry", "      +Managed by Gantry, edited",
        "== web\n", "\n  33 ok, 0 changed, 1 would change, 0 failed in ");
    assertThat(r.out().lines().filter(l -> l.startsWith("  would change")).count()).isEqualTo(1);
    assertThat(Files.readString(h.fs.path("/etc/motd"))).isEqualTo("Managed by Gantry\n");
    assertThat(Sh.must("git", "-C", h.repo.toString(), "rev-parse", "HEAD").stdout()).isEqualTo(head);

    HostReport dry = h.spin("web", true);
    List<PropertyOutcome> changed = dry.outcomes().stream().filter(o -> o.result().status() != Status.NO_CHANGE).toList();
    assertThat(changed).hasSize(1);
    assertThat(changed.get(0).result().diff()).isEqualTo(
        "--- a/etc/motd\n+++ b/etc/motd\n@@ -1 +1 @@\n-Managed by Gantry\n+Managed by Gantry, edited\n");
  }

  @Test
  void aFailingPropertyLeavesTheOthersRunAndExitsNonZero() throws Exception {
    Host h = hostFrom(converged);
    Cli.Run r = h.cli("web-fail");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("FAILED        a command that fails", "broken on purpose",
        "== web-fail\n", "  0 ok, 2 changed, 1 failed in ");
    assertThat(h.fs.path("/etc/gantry-fail-before")).exists();
    assertThat(h.fs.path("/etc/gantry-fail-after")).exists();
  }

  @Test
  void aKilledRunLeavesNoHalfWrittenFileAndNoLock() throws Exception {
    Host h = hostFrom(converged);
    Path srv = h.fs.path("/srv");
    CompletableFuture<HostReport> running = CompletableFuture.supplyAsync(() -> h.spin("web-big", false));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    boolean killed = false;
    while (!killed && System.nanoTime() < deadline && !running.isDone()) {
      try (Stream<Path> s = Files.list(srv)) {
        if (s.anyMatch(p -> p.getFileName().toString().startsWith(".big.gantry-"))) {
          killed = h.killRuntimeInChroot();
        }
      }
      Thread.sleep(5);
    }
    assertThat(killed).as("the run was caught writing").isTrue();
    HostReport r = running.get(120, TimeUnit.SECONDS);
    assertThat(r.error()).contains("exited with status");
    assertThat(h.fs.path("/srv/big")).doesNotExist();
    // the kernel released the lock with the process: the next run goes straight through
    HostReport next = h.spin("web", false);
    assertThat(next.error()).isNull();
    assertThat(next.summary().failed()).isZero();
  }

  @Test
  void aSecondRunWaitsForTheLockAndSaysWhoHoldsIt() throws Exception {
    Host h = hostFrom(converged);
    CompletableFuture<HostReport> slow = CompletableFuture.supplyAsync(() -> h.spin("web-slow", false));
    // web-slow holds the lock for the 20 s its sleep takes; the second run gives up after 2 s
    await().atMost(Duration.ofSeconds(120)).until(() -> !h.processesInChroot("sleep 20").isEmpty() || slow.isDone());
    assertThat(slow).as("web-slow is still running").isNotDone();
    HostReport blocked = h.spin("web", false);
    assertThat(blocked.error()).contains("another gantry run (pid ", "holds /var/lib/gantry/lock");
    assertThat(blocked.outcomes()).isEmpty();
    assertThat(slow.get(120, TimeUnit.SECONDS).error()).isNull();
  }

  @Test
  void aCertificateOfTheTeamCaIsIssuedOnThisMachineAndInstalledThenKept() throws Exception {
    Host h = hostFrom(fresh);
    HostReport noCa = h.spin("web-tls", false);
    assertThat(noCa.error()).contains("no team CA", "gantry ca init");
    assertThat(h.fs.path("/etc/gantry/tls/web.crt")).doesNotExist();

    Cli.Run init = Cli.run(new CaCommand(), "init", "--name", "Spin Test CA", "--infra", h.repo.toString());
    assertThat(init.code()).as(init.err()).isZero();
    HostReport first = h.spin("web-tls", false);
    assertThat(first.error()).isNull();
    assertThat(first.outcomes()).anySatisfy(o -> assertThat(o.result().message()).contains("issue certificate for web"));
    X509Certificate ca = PemFiles.certificates(h.repo.resolve("ca/ca.crt")).get(0);
    X509Certificate cert = PemFiles.certificates(h.fs.path("/etc/gantry/tls/web.crt")).get(0);
    cert.verify(ca.getPublicKey());
    assertThat(PemFiles.isPair(PemFiles.privateKey(h.fs.path("/etc/gantry/tls/web.key")), cert.getPublicKey())).isTrue();

    HostReport again = h.spin("web-tls", false);
    assertThat(again.error()).isNull();
    assertThat(again.outcomes()).allSatisfy(o -> assertThat(o.result().status()).isEqualTo(Status.NO_CHANGE));
    assertThat(PemFiles.certificates(h.fs.path("/etc/gantry/tls/web.crt")).get(0)).isEqualTo(cert);
  }

  @Test
  void badInputGetsAClearMessageAndChangesNothing() throws Exception {
    Host h = hostFrom(converged);
    Path repo = h.repo;
    ChrootSshd sshd = h.sshd;
    Path motd = h.fs.path("/etc/motd");
    String before = Files.readString(motd);

    assertThatThrownBy(() -> Spinner.spin(repo, List.of("no-such-host"), h.options(false), SpinListener.NONE))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("unknown host 'no-such-host'; the definition declares: web, web-sudo");

    HostReport unreachable = h.spin("nowhere", false);
    assertThat(unreachable.error()).contains("cannot reach 127.0.0.1:", "connection refused");

    // no address in the definition: the one `gantry cloud up` recorded in hosts.yml, not the name
    Files.writeString(repo.resolve("hosts.yml"), "hosts:\n  recorded-nowhere:\n    address: 127.0.0.1\n    provider: lab\n");
    HostReport recorded = h.spin("recorded-nowhere", false);
    assertThat(recorded.error()).contains("cannot reach 127.0.0.1:", "connection refused");
    Cli.Run recordedInfo = Cli.run(new HostCommand(), "info", "recorded-nowhere", "--infra", repo.toString());
    assertThat(recordedInfo.out()).contains("recorded-nowhere (root@127.0.0.1:");
    Files.writeString(repo.resolve("hosts.yml"), "hosts: [recorded-nowhere]\n");
    assertThatThrownBy(() -> h.spin("recorded-nowhere", false)).isInstanceOf(UserError.class)
        .hasMessageContaining("hosts.yml: not a hosts registry");
    Files.delete(repo.resolve("hosts.yml"));

    HostReport noSecret = h.spin("web-nosecret", false);
    assertThat(noSecret.error()).contains("missing vault secrets, nothing was changed",
        "gantry vault set api-token web-nosecret");
    assertThat(h.fs.path("/etc/other.pw")).doesNotExist();

    Path wrongHosts = sshd.clientDir().resolve("wrong_known_hosts");
    Sh.must("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", sshd.clientDir().resolve("other").toString());
    String[] f = Files.readString(sshd.clientDir().resolve("other.pub")).split("\\s+");
    Files.writeString(wrongHosts, "[127.0.0.1]:" + sshd.port() + " " + f[0] + " " + f[1] + "\n");
    SpinOptions wrong = new SpinOptions(false, 1, sshd.options().withKnownHosts(wrongHosts), runtimeCache(),
        () -> KeyFileDecryptor.read(alice.secretKeyFile(), ""), Duration.ofSeconds(2));
    HostReport mismatch = Spinner.spin(repo, List.of("web"), wrong, SpinListener.NONE).hosts().get(0);
    assertThat(mismatch.error()).contains("HOST KEY MISMATCH");

    Path empty = sshd.clientDir().resolve("empty_known_hosts");
    Files.deleteIfExists(empty);
    Cli.Run unknown = Cli.run(new HostCommand(), "spin", "web", "--infra", repo.toString(), "--known-hosts",
        empty.toString(), "-i", sshd.key().toString(), "--secret-key", alice.secretKeyFile().toString());
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.out()).contains("is not in " + empty, "--accept-new-host-key");
    Cli.Run accepted = Cli.run(new HostCommand(), "spin", "web", "--infra", repo.toString(), "--known-hosts",
        empty.toString(), "-i", sshd.key().toString(), "--secret-key", alice.secretKeyFile().toString(),
        "--accept-new-host-key");
    assertThat(accepted.code()).as(accepted.out() + accepted.err()).isZero();
    assertThat(Files.readString(empty)).contains("[127.0.0.1]:" + sshd.port());

    String good = Files.readString(repo.resolve("infra/Infra.java"));
    Files.writeString(repo.resolve("infra/Infra.java"), good.replace("File.mode(\"/etc/issue\", 0600),",
        "File.mode(\"/etc/issue\", 0600) oops,"));
    String head = Sh.must("git", "-C", repo.toString(), "rev-parse", "HEAD").stdout();
    Cli.Run broken = h.cli("web");
    assertThat(broken.code()).isEqualTo(1);
    assertThat(broken.err()).contains("infra/Infra.java:19:", "expected");
    assertThat(broken.err()).doesNotContain("Exception");
    assertThat(Sh.must("git", "-C", repo.toString(), "rev-parse", "HEAD").stdout()).isEqualTo(head);
    Files.writeString(repo.resolve("infra/Infra.java"), good);

    Cli.Run none = h.cli();
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("name at least one host", "--role ROLE, --tag TAG or --all");
    Cli.Run badRole = h.cli("--role", "prod");
    assertThat(badRole.code()).isEqualTo(1);
    assertThat(badRole.err()).contains("no host has the role 'prod'; roles in the definition: production, slow");
    Cli.Run zero = h.cli("web", "--parallel", "0");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("--parallel must be at least 1").doesNotContain("Exception");
    assertThat(Files.readString(motd)).isEqualTo(before);
  }

  @Test
  void severalHostsAtOnceWithJsonOutput() throws Exception {
    Host h = hostFrom(converged);
    // The command line spins with its own runtime cache, whose runtime the template's host has
    // not got yet. One spin installs it first: two runs that both install it on one host at
    // once still race (each unpacks into the same place), which this test is not about.
    Cli.Run once = h.cli("web");
    assertThat(once.code()).as(once.err() + once.out()).isZero();
    Cli.Run r = h.cli("web", "web-sudo", "--parallel", "2", "--json");
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    assertThat(r.out()).contains("\"host\" : \"web\"", "\"host\" : \"web-sudo\"", "\"status\" : \"NO_CHANGE\"");
  }

  @Test
  void infoShowsTheHostModelWithoutConnecting() throws Exception {
    Path repo = work.resolve("infra-repo");
    infraRepo(repo, work.resolve("infra-origin.git"));
    int port = ChrootSshd.freePort(); // nothing listens there: info does not connect
    writeDefinition(repo, port, "Managed by Gantry\\n");
    Cli.Run r = Cli.run(new HostCommand(), "info", "web", "--infra", repo.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("web (root@127.0.0.1:" + port + "), 34 properties",
        "ports:    22/tcp, 80/tcp, 443/tcp", "secrets:  db-password@web", "gantry-hello.service");
    Cli.Run unknown = Cli.run(new HostCommand(), "info", "nope", "--infra", repo.toString());
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("unknown host 'nope'");
  }

  @Test
  void optionsDefaultToTheUsersSshFiles() {
    SshOptions d = SshOptions.defaults();
    assertThat(d.knownHosts().toString()).endsWith(".ssh/known_hosts");
    assertThat(d.acceptNewHostKey()).isFalse();
  }

  @Test
  void aDryRunWithAMissingPackageAndDirectorySaysWouldFailAndExitsNonZeroThenTheFixedDefinitionSpins()
      throws Exception {
    Host h = hostFrom(converged);
    Cli.Run dry = h.cli("vh", "--dry-run");
    assertThat(dry.code()).as(dry.out() + dry.err()).isEqualTo(1);
    assertThat(dry.out()).contains("== vh\n",
        "  WOULD FAIL    file /etc/vh/app.conf has the given content: cannot create /etc/vh/app.conf on vh: its"
            + " directory /etc/vh does not exist (declare File.directory(\"/etc/vh\") before it)",
        "  WOULD FAIL    apt installed vh-no-such-pkg: apt cannot install vh-no-such-pkg on vh: ",
        "Unable to locate package vh-no-such-pkg",
        "  0 ok, 0 changed, 2 would fail, 0 failed in ");
    // the spin refuses the same, before changing anything
    HostReport spun = h.spin("vh", false);
    assertThat(spun.summary().failed()).isEqualTo(2);
    assertThat(spun.outcomes().get(0).result().message()).contains("on vh:").doesNotContain("localhost");
    assertThat(h.fs.path("/etc/vh")).doesNotExist();

    Cli.Run fixedDry = h.cli("vh-fixed", "--dry-run");
    assertThat(fixedDry.code()).as(fixedDry.out() + fixedDry.err()).isZero();
    assertThat(fixedDry.out()).contains("  1 ok, 0 changed, 2 would change, 0 failed in ");
    Cli.Run fixed = h.cli("vh-fixed");
    assertThat(fixed.code()).as(fixed.out() + fixed.err()).isZero();
    assertThat(Files.readString(h.fs.path("/etc/vh/app.conf"))).isEqualTo("port = 8080\n");
  }

  @Test
  void hostsAreChosenByRoleTagPatternOrAllAndReportedUnderTheirNamesWithATable() throws Exception {
    Host h = hostFrom(converged);
    Spinner.SpinReport byRole = Spinner.spin(h.repo, new HostSelection(List.of(), List.of("production"), List.of(),
        false), h.options(true), SpinListener.NONE);
    assertThat(byRole.hosts()).extracting(HostReport::host).containsExactly("web", "web-sudo");
    Spinner.SpinReport byTag = Spinner.spin(h.repo, new HostSelection(List.of(), List.of(), List.of("eu"), false),
        h.options(true), new SpinListener() {
          public void phase(String host, String phase) {}
          public void result(String host, PropertyOutcome o) {}
          public void finished(HostReport r) {}
        });
    assertThat(byTag.hosts()).extracting(HostReport::host).containsExactly("web", "web-slow");
    Cli.Run pattern = h.cli("web-su*", "--dry-run");
    assertThat(pattern.code()).as(pattern.out() + pattern.err()).isZero();
    assertThat(pattern.out()).contains("== web-sudo\n").doesNotContain("== web\n");
    Cli.Run two = h.cli("--role", "production", "--dry-run");
    assertThat(two.code()).as(two.out() + two.err()).isZero();
    assertThat(two.out()).contains("== web\n", "== web-sudo\n", "HOST      OK  CHANGED  WOULD CHANGE  WOULD FAIL",
        "web-sudo  34  0        0             0           0");
    assertThat(two.out().lines().filter(l -> l.startsWith("web ")).findFirst().orElseThrow()).endsWith("ok");
  }

  @Test
  void aSpinNeverCommitsAPrivateKeyAndLeavesOtherNewFilesAlone() throws Exception {
    Host h = hostFrom(converged);
    Files.createDirectories(h.repo.resolve("keys"));
    Sh.must("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", h.repo.resolve("keys/vh").toString());
    Files.writeString(h.repo.resolve("deploy.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n");
    Files.writeString(h.repo.resolve("notes.txt"), "mine\n");
    Cli.Run r = h.cli("web");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("WARNING: deploy.pem looks like a private key: Gantry never commits it",
        "left alone, not committed (new files Gantry did not write): ", "notes.txt");
    String everything = Sh.must("git", "-C", h.origin.toString(), "log", "--all", "--format=", "--name-only").stdout();
    assertThat(everything).contains(".gitignore", "vault/")
        .doesNotContain("keys/vh", "deploy.pem", "notes.txt", "infra/Infra.java");
    assertThat(r.out()).contains("infra/Infra.java, notes.txt\n", "--commit-definition commits new files of infra/");
    // the .gitignore written on the first spin keeps keys/ out of git's view
    assertThat(Sh.must("git", "-C", h.repo.toString(), "status", "--porcelain").stdout())
        .doesNotContain("keys/").contains("deploy.pem", "notes.txt");
  }

  @Test
  void theRuntimeOnAHostStaysSmall() throws Exception {
    Host h = hostFrom(fresh);
    HostReport first = h.spin("vh-fixed", false);
    assertThat(first.runtimeUploaded()).isTrue();
    long kib = Long.parseLong(Sh.must("du", "-sk", h.fs.path("/var/lib/gantry").toString()).stdout().split("\\s+")[0]);
    assertThat(kib).as("KiB of Gantry's runtime on the host").isLessThan(40 * 1024);
  }

  @Test
  void aCommitThatFailsStopsTheSpinAndNoHostActs() throws Exception {
    Host h = hostFrom(converged);
    h.writeDefinition("Managed by Gantry, never applied\\n");
    Path hook = h.repo.resolve(".git/hooks/pre-commit");
    Files.writeString(hook, "#!/bin/sh\necho 'refused by the pre-commit hook' >&2\nexit 1\n");
    assertThat(hook.toFile().setExecutable(true)).isTrue();
    long start = System.nanoTime();
    assertThatThrownBy(() -> h.spin("web", false)).isInstanceOf(UserError.class)
        .hasMessageContaining("cannot commit the infrastructure repository");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    assertThat(Files.readString(h.fs.path("/etc/motd"))).isEqualTo("Managed by Gantry\n");
  }
}

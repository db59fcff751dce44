package dev.gantry.host.spin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.host.apply.PropertyOutcome;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Acceptance: spinning a real Debian root filesystem over real OpenSSH, as root and as a
 * sudo user, with the runtime uploaded once, secrets from the vault, dry-run diffs,
 * failures, a killed run, and each kind of bad input.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpinTest {
  static final Path CACHE = Path.of("/var/tmp/gantry-host-tests/runtime-cache");
  static final String SECRET = "s3cret-db-pass-7f1c";
  static TestRootfs fs;
  static ChrootSshd sshd;
  static Gpg alice;
  static Path repo;
  static Path origin;

  @BeforeAll
  static void setUp() throws Exception {
    fs = TestRootfs.create("spin");
    sshd = ChrootSshd.start(fs);
    alice = Gpg.withKey("Alice", "alice@example.org");
    Sh.must("chroot", fs.dir().toString(), "sh", "-c", "set -e; apt-get install -y -q git >/dev/null;"
        + " git init -q -b main /srv/work; cd /srv/work; git -c user.name=t -c user.email=t@e commit -q --allow-empty"
        + " -m one; git tag v1; git clone -q --bare /srv/work /srv/origin.git");
    repo = Files.createTempDirectory("infra-repo-");
    origin = Files.createTempDirectory("infra-origin-");
    Sh.must("git", "init", "-q", "--bare", origin.toString());
    Sh.must("git", "init", "-q", "-b", "main", repo.toString());
    Sh.must("git", "-C", repo.toString(), "config", "user.name", "Spin Test");
    Sh.must("git", "-C", repo.toString(), "config", "user.email", "spin@example.org");
    Sh.must("git", "-C", repo.toString(), "remote", "add", "origin", origin.toString());
    Cli.Run add = Cli.run(new VaultCommand(new ByteArrayInputStream(alice.publicKey().getBytes(StandardCharsets.UTF_8))),
        "add-key", "-", "--infra", repo.toString());
    assertThat(add.code()).as(add.err()).isZero();
    Cli.run(new VaultCommand(new ByteArrayInputStream(SECRET.getBytes(StandardCharsets.UTF_8))),
        "set", "db-password", "web", "--infra", repo.toString());
    writeDefinition("Managed by Gantry\\n");
  }

  @AfterAll
  static void tearDown() {
    if (sshd != null) {
      sshd.close();
    }
    if (fs != null) {
      fs.close();
    }
    if (alice != null) {
      alice.close();
    }
    Sh.run("rm", "-rf", String.valueOf(repo), String.valueOf(origin));
  }

  /** The definition: 34 library properties on "web" (root) and "web-sudo" (the same host as a sudo user). */
  static void writeDefinition(String motd) throws Exception {
    String swappiness = Files.readString(Path.of("/proc/sys/vm/swappiness")).strip();
    String key = Files.readString(sshd.key().resolveSibling("id_ed25519.pub")).strip();
    Files.createDirectories(repo.resolve("infra"));
    Files.writeString(repo.resolve("infra/Infra.java"), """
        import dev.gantry.core.infra.*;
        import dev.gantry.host.lib.*;
        import dev.gantry.host.property.*;
        import dev.gantry.host.target.FileAttrs;
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
            i.host("web").address("127.0.0.1").sshPort(PORT).with(web());
            i.host("web-sudo").address("127.0.0.1").sshPort(PORT).user("deploy").with(web());
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
            i.host("web-slow").address("127.0.0.1").sshPort(PORT).with(Cmd.run("sleep", "sleep", "4"));
            i.host("web-nosecret").address("127.0.0.1").sshPort(PORT)
                .with(File.hasSecret("/etc/other.pw", SecretRef.forHost("api-token"), FileAttrs.KEEP));
            i.host("nowhere").address("127.0.0.1").sshPort(%d).with(File.hasContent("/etc/x", "x"));
            i.host("recorded-nowhere").sshPort(%d).with(File.hasContent("/etc/x", "x"));
          }
        }
        """.formatted(sshd.port(), motd, key, swappiness, ChrootSshd.freePort(), ChrootSshd.freePort()));
  }

  static SpinOptions options(boolean dryRun) {
    return new SpinOptions(dryRun, 4, sshd.options(), CACHE,
        () -> KeyFileDecryptor.read(alice.secretKeyFile(), ""), Duration.ofSeconds(2));
  }

  static HostReport spin(String host, boolean dryRun) {
    Spinner.SpinReport r = Spinner.spin(repo, List.of(host), options(dryRun), SpinListener.NONE);
    return r.hosts().get(0);
  }

  static Cli.Run cli(String... args) {
    String[] base = {"spin", "--infra", repo.toString(), "--known-hosts", sshd.knownHosts().toString(),
        "-i", sshd.key().toString(), "--secret-key", alice.secretKeyFile().toString()};
    String[] all = new String[base.length + args.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(args, 0, all, base.length, args.length);
    return Cli.run(new HostCommand(), all);
  }

  /** Processes whose root is this test's root filesystem and whose command line contains {@code text}. */
  static List<ProcessHandle> processesInChroot(String text) {
    return ProcessHandle.allProcesses().filter(p -> {
      try {
        return Files.readSymbolicLink(Path.of("/proc/" + p.pid() + "/root")).equals(fs.dir())
            && p.info().commandLine().orElse("").contains(text);
      } catch (Exception e) {
        return false;
      }
    }).toList();
  }

  /** Kills (SIGKILL) the Gantry runtime running inside this test's host, by pid. */
  static boolean killRuntimeInChroot() {
    List<ProcessHandle> runtime = processesInChroot("gantry-launch.jar");
    runtime.forEach(ProcessHandle::destroyForcibly);
    return !runtime.isEmpty();
  }

  @Test
  @Order(1)
  void thirtyPropertiesConvergeOnTheFirstSpinAndHoldOnTheSecondAsRootAndWithSudo() throws Exception {
    HostReport first = spin("web", false);
    assertThat(first.error()).isNull();
    assertThat(first.outcomes()).hasSize(34);
    assertThat(first.outcomes()).allSatisfy(o -> assertThat(o.result().status())
        .as(o.describe() + ": " + o.result().message()).isIn(Status.MADE_CHANGE, Status.NO_CHANGE));
    assertThat(first.outcomes().stream().filter(o -> o.result().status() == Status.MADE_CHANGE)).hasSizeGreaterThan(28);
    assertThat(first.runtimeUploaded()).isTrue();

    HostReport second = spin("web", false);
    assertThat(second.error()).isNull();
    assertThat(second.outcomes()).allSatisfy(o -> assertThat(o.result().status())
        .as(o.describe() + ": " + o.result().message()).isEqualTo(Status.NO_CHANGE));
    assertThat(second.runtimeUploaded()).isFalse();

    HostReport sudo = spin("web-sudo", false);
    assertThat(sudo.error()).isNull();
    assertThat(sudo.outcomes()).hasSize(34).allSatisfy(o -> assertThat(o.result().status())
        .as(o.describe() + ": " + o.result().message()).isEqualTo(Status.NO_CHANGE));

    assertThat(Files.readString(fs.path("/etc/motd"))).isEqualTo("Managed by Gantry\n");
    assertThat(Files.readString(fs.path("/etc/gantry/db.pw"))).isEqualTo(SECRET);
    assertThat(Sh.run("chroot", fs.dir().toString(), "hello").stdout()).contains("Hello, world!");
    // the secret is on the host's disk only where the property put it
    String hits = Sh.run("grep", "-rlF", "--exclude-dir=proc", "--exclude-dir=sys", "--exclude-dir=dev", SECRET,
        fs.dir().toString()).stdout();
    assertThat(hits.lines().toList()).containsExactly(fs.path("/etc/gantry/db.pw").toString());
    // the infrastructure repository was committed and pushed
    assertThat(Sh.must("git", "-C", origin.toString(), "log", "--format=%s", "main").stdout())
        .contains("gantry host spin web");
    assertThat(Sh.must("git", "-C", repo.toString(), "status", "--porcelain").stdout()).isEmpty();
  }

  @Test
  @Order(2)
  void dryRunAfterEditingOneFileShowsExactlyThatDiffAndChangesNothing() throws Exception {
    writeDefinition("Managed by Gantry, edited\\n");
    String head = Sh.must("git", "-C", repo.toString(), "rev-parse", "HEAD").stdout();
    Cli.Run r = cli("web", "--dry-run");
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    assertThat(r.out()).contains("would change  file /etc/motd has the given content: update /etc/motd",
        "      --- a/etc/motd", "      +++ b/etc/motd", "      -Managed by Gantry", "      +Managed by Gantry, edited",
        "web: 33 ok, 0 changed, 1 would change, 0 failed");
    assertThat(r.out().lines().filter(l -> l.startsWith("  would change")).count()).isEqualTo(1);
    assertThat(Files.readString(fs.path("/etc/motd"))).isEqualTo("Managed by Gantry\n");
    assertThat(Sh.must("git", "-C", repo.toString(), "rev-parse", "HEAD").stdout()).isEqualTo(head);

    HostReport dry = spin("web", true);
    List<PropertyOutcome> changed = dry.outcomes().stream().filter(o -> o.result().status() != Status.NO_CHANGE).toList();
    assertThat(changed).hasSize(1);
    assertThat(changed.get(0).result().diff()).isEqualTo(
        "--- a/etc/motd\n+++ b/etc/motd\n@@ -1 +1 @@\n-Managed by Gantry\n+Managed by Gantry, edited\n");
    writeDefinition("Managed by Gantry\\n");
  }

  @Test
  @Order(3)
  void aFailingPropertyLeavesTheOthersRunAndExitsNonZero() throws Exception {
    Cli.Run r = cli("web-fail");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("FAILED        a command that fails", "broken on purpose",
        "web-fail: 0 ok, 2 changed, 1 failed");
    assertThat(fs.path("/etc/gantry-fail-before")).exists();
    assertThat(fs.path("/etc/gantry-fail-after")).exists();
  }

  @Test
  @Order(4)
  void aKilledRunLeavesNoHalfWrittenFileAndNoLock() throws Exception {
    Path srv = fs.path("/srv");
    CompletableFuture<HostReport> running = CompletableFuture.supplyAsync(() -> spin("web-big", false));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    boolean killed = false;
    while (!killed && System.nanoTime() < deadline && !running.isDone()) {
      try (Stream<Path> s = Files.list(srv)) {
        if (s.anyMatch(p -> p.getFileName().toString().startsWith(".big.gantry-"))) {
          killed = killRuntimeInChroot();
        }
      }
      Thread.sleep(5);
    }
    assertThat(killed).as("the run was caught writing").isTrue();
    HostReport r = running.get(60, TimeUnit.SECONDS);
    assertThat(r.error()).contains("exited with status");
    assertThat(fs.path("/srv/big")).doesNotExist();
    // the kernel released the lock with the process: the next run goes straight through
    HostReport next = spin("web", false);
    assertThat(next.error()).isNull();
    assertThat(next.summary().failed()).isZero();
  }

  @Test
  @Order(5)
  void aSecondRunWaitsForTheLockAndSaysWhoHoldsIt() throws Exception {
    CompletableFuture<HostReport> slow = CompletableFuture.supplyAsync(() -> spin("web-slow", false));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (processesInChroot("sleep 4").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    HostReport blocked = spin("web", false);
    assertThat(blocked.error()).contains("another gantry run (pid ", "holds /var/lib/gantry/lock");
    assertThat(blocked.outcomes()).isEmpty();
    assertThat(slow.get(60, TimeUnit.SECONDS).error()).isNull();
  }

  @Test
  @Order(6)
  void badInputGetsAClearMessageAndChangesNothing() throws Exception {
    Path motd = fs.path("/etc/motd");
    String before = Files.readString(motd);

    assertThatThrownBy(() -> Spinner.spin(repo, List.of("no-such-host"), options(false), SpinListener.NONE))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("unknown host 'no-such-host'; the definition declares: web, web-sudo");

    HostReport unreachable = spin("nowhere", false);
    assertThat(unreachable.error()).contains("cannot reach 127.0.0.1:", "connection refused");

    // no address in the definition: the one `gantry cloud up` recorded in hosts.yml, not the name
    Files.writeString(repo.resolve("hosts.yml"), "hosts:\n  recorded-nowhere:\n    address: 127.0.0.1\n    provider: lab\n");
    HostReport recorded = spin("recorded-nowhere", false);
    assertThat(recorded.error()).contains("cannot reach 127.0.0.1:", "connection refused");
    Cli.Run recordedInfo = Cli.run(new HostCommand(), "info", "recorded-nowhere", "--infra", repo.toString());
    assertThat(recordedInfo.out()).contains("recorded-nowhere (root@127.0.0.1:");
    Files.writeString(repo.resolve("hosts.yml"), "hosts: [recorded-nowhere]\n");
    assertThatThrownBy(() -> spin("recorded-nowhere", false)).isInstanceOf(UserError.class)
        .hasMessageContaining("hosts.yml: not a hosts registry");
    Files.delete(repo.resolve("hosts.yml"));

    HostReport noSecret = spin("web-nosecret", false);
    assertThat(noSecret.error()).contains("missing vault secrets, nothing was changed",
        "gantry vault set api-token web-nosecret");
    assertThat(fs.path("/etc/other.pw")).doesNotExist();

    Path wrongHosts = sshd.clientDir().resolve("wrong_known_hosts");
    Sh.must("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", sshd.clientDir().resolve("other").toString());
    String[] f = Files.readString(sshd.clientDir().resolve("other.pub")).split("\\s+");
    Files.writeString(wrongHosts, "[127.0.0.1]:" + sshd.port() + " " + f[0] + " " + f[1] + "\n");
    SpinOptions wrong = new SpinOptions(false, 1, sshd.options().withKnownHosts(wrongHosts), CACHE,
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
    Cli.Run broken = cli("web");
    assertThat(broken.code()).isEqualTo(1);
    assertThat(broken.err()).contains("the infrastructure definition does not compile", "Infra.java:19:");
    assertThat(broken.err()).doesNotContain("Exception");
    assertThat(Sh.must("git", "-C", repo.toString(), "rev-parse", "HEAD").stdout()).isEqualTo(head);
    Files.writeString(repo.resolve("infra/Infra.java"), good);

    assertThat(cli().code()).isEqualTo(2);
    Cli.Run zero = cli("web", "--parallel", "0");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("--parallel must be at least 1").doesNotContain("Exception");
    assertThat(Files.readString(motd)).isEqualTo(before);
  }

  @Test
  @Order(7)
  void severalHostsAtOnceWithJsonOutput() {
    Cli.Run r = cli("web", "web-sudo", "--parallel", "2", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"host\" : \"web\"", "\"host\" : \"web-sudo\"", "\"status\" : \"NO_CHANGE\"");
  }

  @Test
  @Order(8)
  void infoShowsTheHostModelWithoutConnecting() {
    Cli.Run r = Cli.run(new HostCommand(), "info", "web", "--infra", repo.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("web (root@127.0.0.1:" + sshd.port() + "), 34 properties",
        "ports:    22/tcp, 80/tcp, 443/tcp", "secrets:  db-password@web", "gantry-hello.service");
    Cli.Run unknown = Cli.run(new HostCommand(), "info", "nope", "--infra", repo.toString());
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("unknown host 'nope'");
  }

  @Test
  @Order(9)
  void optionsDefaultToTheUsersSshFiles() {
    SshOptions d = SshOptions.defaults();
    assertThat(d.knownHosts().toString()).endsWith(".ssh/known_hosts");
    assertThat(d.acceptNewHostKey()).isFalse();
  }
}

package dev.gantry.host.lib;

import static dev.gantry.host.testing.Converge.converges;
import static dev.gantry.host.testing.Converge.fails;
import static dev.gantry.host.testing.Converge.holds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.target.ChrootTarget;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.FileStat;
import dev.gantry.host.property.Context;
import dev.gantry.host.property.Info;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.Props;
import dev.gantry.host.property.Result;
import dev.gantry.host.property.SecretRef;
import dev.gantry.host.property.Secrets;
import dev.gantry.host.property.Status;
import dev.gantry.host.testing.LocalDebs;
import dev.gantry.host.testing.Sh;
import dev.gantry.host.testing.TestRootfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The property library applied to a real Debian root filesystem (chroot). */
@Tag("integration")
class LibraryTest {
  // One tree for the class. Each method changes only files, users and packages that no other
  // method reads or changes, so any method runs alone and the order does not matter.
  static TestRootfs fs;
  static ChrootTarget t;
  static Context ctx;

  @BeforeAll
  static void rootfs() {
    fs = TestRootfs.create("library");
    t = fs.target();
    ctx = Context.of(t).withHostName("web1");
    Sh.must("chroot", fs.dir().toString(), "ssh-keygen", "-A");
    Sh.must("mkdir", "-p", fs.path("/run/sshd").toString());
    Result r = Apt.installed("systemd", "git").apply(ctx);
    assertThat(r.status()).as(r.message()).isEqualTo(Status.MADE_CHANGE);
  }

  @AfterAll
  static void cleanup() {
    if (fs != null) {
      fs.close();
    }
  }

  private static String read(String path) throws Exception {
    return Files.readString(fs.path(path));
  }

  @Test
  void fileContentWithDiffModeAndOwner() throws Exception {
    Property p = File.hasContent("/etc/gantry-a.conf", "one\ntwo\n", FileAttrs.mode(0640).withOwner("root", "adm"));
    Result dry = p.apply(ctx.dryRun(true));
    assertThat(dry.diff()).contains("--- /dev/null", "+++ b/etc/gantry-a.conf", "+one", "+two");
    assertThat(fs.path("/etc/gantry-a.conf")).doesNotExist();
    converges(p, ctx);
    assertThat(read("/etc/gantry-a.conf")).isEqualTo("one\ntwo\n");
    FileStat st = t.stat("/etc/gantry-a.conf").orElseThrow();
    assertThat(st.mode()).isEqualTo(0640);
    assertThat(st.group()).isEqualTo("adm");

    Property edited = File.hasContent("/etc/gantry-a.conf", "one\nTWO\n", FileAttrs.mode(0640).withOwner("root", "adm"));
    Result dry2 = edited.apply(ctx.dryRun(true));
    assertThat(dry2.status()).isEqualTo(Status.WOULD_CHANGE);
    assertThat(dry2.diff()).isEqualTo("--- a/etc/gantry-a.conf\n+++ b/etc/gantry-a.conf\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n");
    assertThat(read("/etc/gantry-a.conf")).isEqualTo("one\ntwo\n");
    Sh.must("chmod", "0600", fs.path("/etc/gantry-a.conf").toString());
    Result modeOnly = p.apply(ctx);
    assertThat(modeOnly.status()).isEqualTo(Status.MADE_CHANGE);
    assertThat(modeOnly.message()).contains("mode 0600 -> 0640");

    converges(File.hasContent("/etc/gantry-a.conf", "x\n").revert(), ctx);
    assertThat(fs.path("/etc/gantry-a.conf")).doesNotExist();
    assertThat(fails(File.hasContent("/no/such/dir/f", "x"), ctx).message()).contains("/no/such/dir/f", "does not exist");
  }

  @Test
  void linesPresentAbsentAndKeyedLines() throws Exception {
    Files.writeString(fs.path("/etc/gantry-lines"), "keep\nremove me\n");
    converges(File.containsLines("/etc/gantry-lines", "added", "keep"), ctx);
    converges(File.lacksLines("/etc/gantry-lines", "remove me"), ctx);
    assertThat(read("/etc/gantry-lines")).isEqualTo("keep\nadded\n");
    converges(File.hasLineMatching("/etc/gantry-lines", "^added", "added=2"), ctx);
    assertThat(read("/etc/gantry-lines")).isEqualTo("keep\nadded=2\n");
    holds(File.lacksLines("/etc/gantry-missing", "x"), ctx);
    holds(File.containsLines("/etc/gantry-lines", "z").revert(), ctx);
    converges(File.lacksLines("/etc/gantry-lines", "new").revert(), ctx);
    assertThat(read("/etc/gantry-lines")).isEqualTo("keep\nadded=2\nnew\n");
    converges(File.containsLines("/etc/gantry-lines", "new", "keep").revert(), ctx);
    assertThat(read("/etc/gantry-lines")).isEqualTo("added=2\n");
  }

  @Test
  void modeOwnerDirectoriesSymlinksAbsent() throws Exception {
    converges(File.directory("/srv/data/deep", new FileAttrs(0750, "www-data", "www-data")), ctx);
    assertThat(t.stat("/srv/data/deep").orElseThrow().owner()).isEqualTo("www-data");
    Files.writeString(fs.path("/srv/data/f"), "x");
    converges(File.mode("/srv/data/f", 0600), ctx);
    converges(File.ownedBy("/srv/data/f", "www-data", "www-data"), ctx);
    converges(File.symlink("/srv/data/link", "f"), ctx);
    assertThat(Files.readSymbolicLink(fs.path("/srv/data/link")).toString()).isEqualTo("f");
    converges(File.symlink("/srv/data/link", "deep"), ctx);
    converges(File.absent("/srv/data/f"), ctx);
    assertThat(fails(File.absent("/srv/data/deep"), ctx).message()).contains("is a directory");
    assertThat(fails(File.mode("/srv/nothing", 0644), ctx).message()).contains("/srv/nothing does not exist");
  }

  @Test
  void secretFilesNeverShowTheSecret() throws Exception {
    SecretRef ref = SecretRef.forHost("db-password");
    Property p = File.hasSecret("/etc/gantry-db.pw", ref, FileAttrs.KEEP);
    assertThat(p.info()).containsExactly(new Info.SecretUsed(ref));
    Result missing = fails(p, ctx);
    assertThat(missing.message()).contains("gantry vault set db-password web1");
    Context withSecret = ctx.withSecrets(Secrets.of(Map.of(SecretRef.of("db-password", "web1"), "hunter2")));
    Result r = converges(p, withSecret);
    assertThat(r.message() + r.diff()).doesNotContain("hunter2");
    assertThat(read("/etc/gantry-db.pw")).isEqualTo("hunter2");
    assertThat(t.stat("/etc/gantry-db.pw").orElseThrow().mode()).isEqualTo(0600);
  }

  @Test
  void aptInstallRemoveUpdateUpgradeAndSources() throws Exception {
    Property hello = Apt.installed("hello");
    converges(hello, ctx);
    assertThat(fs.path("/usr/bin/hello")).exists();
    converges(Apt.removed("hello"), ctx);
    assertThat(fs.path("/usr/bin/hello")).doesNotExist();
    assertThat(fails(Apt.installed("gantry-no-such-package"), ctx).message()).contains("gantry-no-such-package");

    Path extra = fs.path("/srv/extra");
    LocalDebs.build(extra, "gantry-probe", "1.0");
    Sh.must("chroot", fs.dir().toString(), "dpkg", "-i", "/srv/extra/gantry-probe_1.0_all.deb");
    Sh.must("rm", extra.resolve("gantry-probe_1.0_all.deb").toString());
    LocalDebs.build(extra, "gantry-probe", "2.0");
    LocalDebs.index(extra);
    converges(Apt.updated(), ctx);
    converges(Apt.source("extra", "deb [trusted=yes] file:/srv/extra ./"), ctx);
    Result afterSource = Apt.updated().apply(ctx.dryRun(true));
    assertThat(afterSource.status()).isEqualTo(Status.WOULD_CHANGE);
    assertThat(afterSource.message()).contains("sources.list.d changed");
    converges(Apt.updated(), ctx);
    Context later = ctx.withClock(InstantSource.fixed(Instant.now().plus(Duration.ofDays(2))));
    assertThat(Apt.updated().apply(later.dryRun(true)).status()).isEqualTo(Status.WOULD_CHANGE);
    converges(Apt.upgraded(), ctx);
    assertThat(read("/usr/share/gantry-probe/version")).isEqualTo("2.0\n");
    converges(Apt.unattendedUpgrades(), ctx);
    assertThat(read("/etc/apt/apt.conf.d/20auto-upgrades")).contains("Unattended-Upgrade \"1\"");
    assertThatThrownBy(() -> Apt.installed("Bad Name")).hasMessageContaining("not a Debian package name");
  }

  @Test
  void usersGroupsAndSudo() throws Exception {
    converges(Group.exists("ops"), ctx);
    converges(User.exists("alice"), ctx);
    assertThat(fs.path("/home/alice")).isDirectory();
    converges(User.inGroup("alice", "ops"), ctx);
    converges(User.hasSudo("alice"), ctx);
    assertThat(t.stat("/etc/sudoers.d/gantry-alice").orElseThrow().mode()).isEqualTo(0440);
    assertThat(Sh.run("chroot", fs.dir().toString(), "visudo", "-c").ok()).isTrue();
    assertThat(fails(User.inGroup("nobody-here", "ops"), ctx).message())
        .isEqualTo("cannot add user 'nobody-here' to group 'ops': no such user on web1"
            + " (declare User.exists(\"nobody-here\") before it)");
    converges(User.exists("bob"), ctx);
    converges(User.exists("bob").revert(), ctx);
  }

  @Test
  void sshAuthorizedKeysAndSettings() throws Exception {
    converges(User.exists("carol"), ctx);
    String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHm0Pj8vVb4m9kA1q3mLh3oY4vKZ5o4mD3y8mU0o9V6E carol@laptop";
    converges(Ssh.authorizedKey("carol", key), ctx);
    assertThat(read("/home/carol/.ssh/authorized_keys")).isEqualTo(key + "\n");
    FileStat st = t.stat("/home/carol/.ssh/authorized_keys").orElseThrow();
    assertThat(st.owner()).isEqualTo("carol");
    assertThat(st.mode()).isEqualTo(0600);
    assertThat(t.stat("/home/carol/.ssh").orElseThrow().mode()).isEqualTo(0700);
    converges(Ssh.noPasswordLogin(), ctx);
    assertThat(read(Ssh.DROP_IN)).contains("PasswordAuthentication no", "KbdInteractiveAuthentication no");
    assertThat(Sh.run("chroot", fs.dir().toString(), "sshd", "-T").stdout()).contains("passwordauthentication no");
    Result bad = fails(Ssh.setting("NoSuchOption", "yes"), ctx);
    assertThat(bad.message()).contains("sshd -t rejects");
    assertThat(read(Ssh.DROP_IN)).doesNotContain("NoSuchOption");
  }

  @Test
  void localeTimezoneHostname() throws Exception {
    converges(Locale.defaultIs("en_US.UTF-8"), ctx);
    assertThat(Sh.run("chroot", fs.dir().toString(), "locale", "-a").stdout()).contains("en_US.utf8");
    assertThat(read("/etc/default/locale")).contains("LANG=en_US.UTF-8");
    converges(Timezone.is("Asia/Singapore"), ctx);
    assertThat(Files.readSymbolicLink(fs.path("/etc/localtime")).toString()).isEqualTo("/usr/share/zoneinfo/Asia/Singapore");
    assertThat(fails(Timezone.is("Mars/Olympus"), ctx).message()).contains("unknown");
    converges(Hostname.is("web1.example.com"), ctx);
    assertThat(read("/etc/hostname")).isEqualTo("web1\n");
    assertThat(read("/etc/hosts")).contains("127.0.1.1\tweb1.example.com web1");
    assertThat(fails(Hostname.applied(), ctx).message()).contains("systemd is not running");
  }

  @Test
  void systemdUnitsEnabledForRealAndStartRefusedWithoutSystemd() throws Exception {
    String unit = "[Unit]\nDescription=gantry test\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n";
    converges(Systemd.unit("gantry-test.service", unit), ctx);
    converges(Systemd.enabled("gantry-test.service"), ctx);
    assertThat(Files.readSymbolicLink(fs.path("/etc/systemd/system/multi-user.target.wants/gantry-test.service")))
        .isEqualTo(Path.of("/etc/systemd/system/gantry-test.service"));
    converges(Systemd.disabled("gantry-test.service"), ctx);
    assertThat(fs.path("/etc/systemd/system/multi-user.target.wants/gantry-test.service")).doesNotExist();
    assertThat(fails(Systemd.started("gantry-test.service"), ctx).message())
        .contains("systemd is not running on web1");
    assertThat(fails(Systemd.restarted("gantry-test.service"), ctx).message()).contains("systemd is not running");
  }

  @Test
  void cronSysctlSwapFirewall() throws Exception {
    converges(Cron.job("gantry-backup", "15 3 * * *", "root", "/usr/local/bin/backup"), ctx);
    assertThat(read("/etc/cron.d/gantry-backup")).contains("15 3 * * * root /usr/local/bin/backup");
    assertThatThrownBy(() -> Cron.job("bad.name", "@daily", "root", "x")).hasMessageContaining("cron job name");

    String current = Files.readString(Path.of("/proc/sys/vm/swappiness")).strip();
    Result sysctl = converges(Sysctl.set("vm.swappiness", current), ctx);
    assertThat(sysctl.message()).contains("sysctl -p");
    assertThat(read("/etc/sysctl.d/60-gantry-vm.swappiness.conf")).isEqualTo("vm.swappiness = " + current + "\n");

    converges(Swap.file("/swapfile", 8), ctx);
    assertThat(Files.size(fs.path("/swapfile"))).isEqualTo(8L * 1024 * 1024);
    assertThat(Sh.run("chroot", fs.dir().toString(), "sh", "-c", "dd if=/swapfile bs=1 skip=4086 count=10 status=none")
        .stdout()).isEqualTo("SWAPSPACE2");
    assertThat(read("/etc/fstab")).contains("/swapfile none swap sw 0 0");

    Property fw = Nftables.allowingTcp(22, 443);
    assertThat(fw.info()).contains(new Info.PortOpened(22, "tcp"), new Info.PortOpened(443, "tcp"));
    converges(fw, ctx);
    assertThat(read("/etc/nftables.conf")).contains("tcp dport { 22, 443 } accept", "delete table inet gantry\n")
        .doesNotContain("flush ruleset");
    assertThat(fs.path("/etc/systemd/system/sysinit.target.wants/nftables.service")).exists();
    Result bad = fails(Nftables.rules("table inet filter { chain input { nonsense } }\n"), ctx);
    assertThat(bad.message()).contains("nft -c rejects");
    assertThat(read("/etc/nftables.conf")).contains("tcp dport { 22, 443 } accept");
  }

  @Test
  void gitRepositoryClonedAtARevision() throws Exception {
    String root = fs.dir().toString();
    Sh.must("chroot", root, "sh", "-c", "set -e; git init -q -b main /srv/work; cd /srv/work;"
        + " git -c user.name=t -c user.email=t@e commit -q --allow-empty -m one; git tag v1;"
        + " git clone -q --bare /srv/work /srv/origin.git");
    converges(User.exists("deploy"), ctx);
    Sh.must("chroot", root, "chown", "-R", "deploy:deploy", "/srv/origin.git");
    Property v1 = Git.cloned("/srv/app", "file:///srv/origin.git", "v1", "deploy");
    converges(v1, ctx);
    assertThat(t.stat("/srv/app/.git").orElseThrow().owner()).isEqualTo("deploy");
    Sh.must("chroot", root, "chown", "-R", "root:root", "/srv/origin.git");
    Sh.must("chroot", root, "sh", "-c", "set -e; cd /srv/work; git -c user.name=t -c user.email=t@e commit -q"
        + " --allow-empty -m two; git tag v2; git push -q /srv/origin.git main v2");
    Sh.must("chroot", root, "chown", "-R", "deploy:deploy", "/srv/origin.git");
    converges(Git.cloned("/srv/app", "file:///srv/origin.git", "v2", "deploy"), ctx);
    String head = Sh.must("chroot", root, "runuser", "-u", "deploy", "--", "git", "-C", "/srv/app", "describe", "--tags").stdout().strip();
    assertThat(head).isEqualTo("v2");
    assertThat(fails(Git.cloned("/srv/app", "file:///srv/origin.git", "v9", "deploy"), ctx).message())
        .contains("v9");
  }

  @Test
  void scriptedCommands() {
    converges(Cmd.scripted("marker present", "test -f /etc/gantry-marker", "touch /etc/gantry-marker"), ctx);
    Result always = Cmd.run("touch again", "touch", "/etc/gantry-marker").apply(ctx);
    assertThat(always.status()).isEqualTo(Status.MADE_CHANGE);
    assertThat(Cmd.run("x", "false").apply(ctx).status()).isEqualTo(Status.FAILED);
  }

  @Test
  void aDryRunSaysWouldFailWhereTheSpinWouldAndTheSpinFailsBeforeChangingAnything() {
    Property conf = File.hasContent("/etc/vh/app.conf", "x = 1\n");
    Property pkg = Apt.installed("vh-no-such-pkg");
    Property owned = File.hasContent("/etc/gantry-owned.conf", "y\n", FileAttrs.mode(0640).withOwner("vhuser", "vhgroup"));
    Property unit = Systemd.enabled("vh-nothing.service");

    Context dry = ctx.dryRun(true);
    Result confDry = conf.apply(dry);
    assertThat(confDry.status()).isEqualTo(Status.WOULD_FAIL);
    assertThat(confDry.message()).isEqualTo("cannot create /etc/vh/app.conf on web1: its directory /etc/vh does not"
        + " exist (declare File.directory(\"/etc/vh\") before it)");
    Result pkgDry = pkg.apply(dry);
    assertThat(pkgDry.status()).isEqualTo(Status.WOULD_FAIL);
    assertThat(pkgDry.message()).startsWith("apt cannot install vh-no-such-pkg on web1: ")
        .contains("Unable to locate package vh-no-such-pkg");
    Result ownedDry = owned.apply(dry);
    assertThat(ownedDry.status()).isEqualTo(Status.WOULD_FAIL);
    assertThat(ownedDry.message()).contains("no such user on web1", "vhuser");
    assertThat(unit.apply(dry).message()).isEqualTo("no systemd unit vh-nothing.service on web1 (install the package"
        + " that brings it, or declare Systemd.unit(\"vh-nothing.service\", ...), before it)");
    assertThat(unit.apply(dry).status()).isEqualTo(Status.WOULD_FAIL);

    // the spin checks the same before its first change: nothing is created, the reason is the same
    for (Property p : new Property[] {conf, pkg, owned, unit}) {
      Result real = p.apply(ctx);
      assertThat(real.status()).as(p.describe()).isEqualTo(Status.FAILED);
      assertThat(real.message()).isEqualTo(p.apply(ctx.dryRun(true)).message());
    }
    assertThat(fs.path("/etc/vh")).doesNotExist();
    assertThat(fs.path("/etc/gantry-owned.conf")).doesNotExist();
  }

  @Test
  void aDryRunForeseesWhatThePropertiesBeforeCreate() {
    Context dry = ctx.dryRun(true);
    assertThat(File.directory("/etc/vh2").apply(dry).status()).isEqualTo(Status.WOULD_CHANGE);
    assertThat(File.hasContent("/etc/vh2/sub/app.conf", "x\n").apply(dry).status())
        .as("a directory below the one created is still missing").isEqualTo(Status.WOULD_FAIL);
    assertThat(File.hasContent("/etc/vh2/app.conf", "x\n").apply(dry).status()).isEqualTo(Status.WOULD_CHANGE);
    assertThat(File.mode("/etc/vh2/app.conf", 0600).apply(dry).status()).isEqualTo(Status.WOULD_CHANGE);
    assertThat(File.mode("/etc/vh2/other.conf", 0600).apply(dry).status()).isEqualTo(Status.WOULD_FAIL);

    assertThat(User.exists("vhapp").apply(dry).status()).isEqualTo(Status.WOULD_CHANGE);
    assertThat(File.hasContent("/etc/vh2/owned", "x\n", FileAttrs.mode(0600).withOwner("vhapp", "vhapp"))
        .apply(dry).status()).as("useradd makes a group of the same name").isEqualTo(Status.WOULD_CHANGE);
    assertThat(User.inGroup("vhapp", "vhops").apply(dry).status()).isEqualTo(Status.WOULD_FAIL);
    assertThat(Group.exists("vhops").apply(dry).status()).isEqualTo(Status.WOULD_CHANGE);
    assertThat(User.inGroup("vhapp", "vhops").apply(dry).status()).isEqualTo(Status.WOULD_CHANGE);

    assertThat(Systemd.unit("vh2.service", "[Service]\nExecStart=/bin/true\n").apply(dry).status())
        .isEqualTo(Status.WOULD_CHANGE);
    assertThat(Systemd.enabled("vh2.service").apply(dry).status()).isEqualTo(Status.WOULD_CHANGE);

    // in a sequence a "would fail" stands and stops what follows
    Result seq = Props.sequence("conf", File.hasContent("/etc/vh3/a", "x\n"), File.hasContent("/etc/a-vh3", "y\n"))
        .apply(ctx.dryRun(true));
    assertThat(seq.status()).isEqualTo(Status.WOULD_FAIL);
    assertThat(seq.message()).contains("/etc/vh3 does not exist", "would not be applied: file /etc/a-vh3");
    assertThat(fs.path("/etc/vh2")).doesNotExist();
    assertThat(fs.path("/etc/a-vh3")).doesNotExist();
  }

  @Test
  void aPackageMissingFromTheListsNowIsForeseenAfterAnUpdateOrANewSource() {
    Context dry = ctx.dryRun(true);
    assertThat(Apt.source("vh", "deb file:///srv/vh-debs ./").apply(dry).status()).isEqualTo(Status.WOULD_CHANGE);
    Result later = Apt.installed("vh-no-such-pkg").apply(dry);
    assertThat(later.status()).isEqualTo(Status.WOULD_CHANGE);
    assertThat(later.message()).contains("known after the package lists are updated above");
  }
}

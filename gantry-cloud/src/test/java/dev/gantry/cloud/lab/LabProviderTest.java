package dev.gantry.cloud.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.cloud.Cloud;
import dev.gantry.cloud.provider.Machine;
import dev.gantry.core.UserError;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.core.process.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lab machines made for real: namespace, overlay, systemd booted by nspawn; reached with OpenSSH; removed without a trace. */
@Tag("integration")
class LabProviderTest {
  @TempDir static Path tmp;
  static Path key;
  static Path data;
  static LabProvider lab;
  /** Lab host names, and so namespace names, of this run only. */
  static final String ONE = LabTrace.uniqueName("lab-one");
  static final String TWO = LabTrace.uniqueName("lab-two");
  static final String TAKEN = LabTrace.uniqueName("lab-taken");
  static final String BROKEN = LabTrace.uniqueName("lab-broken");
  static final String SQUATTER = LabTrace.uniqueName("lab-squatter");
  static final String NOKEY = LabTrace.uniqueName("lab-nokey");
  static final String UNBOOTABLE = LabTrace.uniqueName("lab-noboot");
  static final String CGROUP_TAKEN = LabTrace.uniqueName("lab-cgtaken");

  @BeforeAll
  static void setUp() {
    key = LabTrace.keyPair(tmp);
    data = tmp.resolve("data");
    Path base = LabTrace.machineRootfs();
    lab = new LabProvider(data, Cloud.lab().authorizedKey(Path.of(key + ".pub")).rootfs(base));
  }

  @AfterAll
  static void tearDown() {
    if (lab == null) {
      return;
    }
    for (Machine m : lab.list()) {
      lab.destroy(m.name(), line -> { });
    }
  }

  @Test
  void aLabHostAnswersSshAsRootAndAsASudoUserAndLeavesNothingWhenDestroyed() throws Exception {
    Infrastructure infra = new Infrastructure();
    infra.host(ONE).provisionedBy(Cloud.lab());
    infra.host(TWO).user("deploy").provisionedBy(Cloud.lab());
    List<String> progress = new ArrayList<>();

    Machine one = lab.create(infra.requireHost(ONE), progress::add);
    Machine two = lab.create(infra.requireHost(TWO), progress::add);
    lab.awaitSsh(one, 22, Duration.ofSeconds(60), progress::add);

    assertThat(one.address()).get().asString().startsWith("10.213.").endsWith(".2");
    assertThat(one.address()).isNotEqualTo(two.address());
    ProcessResult r = LabTrace.ssh(key, "root", one.requireAddress(), "hostname; cat /etc/debian_version; id -un");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).startsWith(ONE + "\n12.").endsWith("root\n");
    ProcessResult sudo = LabTrace.ssh(key, "deploy", two.requireAddress(), "id -un; sudo -n id -un");
    assertThat(sudo.exitCode()).as(sudo.stderr()).isZero();
    assertThat(sudo.stdout()).isEqualTo("deploy\nroot\n");
    assertThat(lab.find(ONE)).get().extracting(Machine::status).isEqualTo("running");

    Path dir = data.resolve("cloud/lab/hosts/" + ONE);
    assertThat(LabTrace.mountsUnder(dir)).hasSize(1);
    assertThat(LabTrace.cgroupsOf(ONE)).isNotEmpty();
    ProcessResult booted = LabTrace.ssh(key, "root", one.requireAddress(), "systemctl is-system-running; systemctl is-active ssh; "
        + "cat /proc/1/comm");
    assertThat(booted.stdout()).as(booted.stderr()).isEqualTo("running\nactive\nsystemd\n");
    // lab machines reach each other through this machine (the firewall lets lab-to-lab through)
    ProcessResult reach = LabTrace.ssh(key, "root", one.requireAddress(),
        "timeout 5 bash -c 'exec 3<>/dev/tcp/" + two.requireAddress() + "/22; head -c 8 <&3'");
    assertThat(reach.stdout()).as(reach.stderr()).startsWith("SSH-2.0");
    assertThat(Exec.run("iptables", "-w", "-S", "FORWARD")).contains("-A FORWARD -i gantrylab+ -o gantrylab+ -j ACCEPT")
        .contains("-A FORWARD -i gantrylab+ ! -o gantrylab+ -j DROP");
    assertThat(lab.destroy(ONE, progress::add)).isTrue();

    assertThat(LabTrace.namespaces()).doesNotContain("gantry-" + ONE);
    assertThat(LabTrace.mountsUnder(dir)).isEmpty();
    assertThat(LabTrace.processesRootedUnder(dir)).isEmpty();
    assertThat(LabTrace.cgroupsOf(ONE)).isEmpty();
    assertThat(LabTrace.nspawnStateExists(ONE)).isFalse();
    assertThat(LabTrace.linkExists("gantrylab" + (one.requireAddress().split("\\.")[2]))).isFalse();
    assertThat(dir).doesNotExist();
    assertThat(lab.find(ONE)).isEmpty();
    assertThat(lab.destroy(ONE, progress::add)).isFalse();
    // the other host is untouched
    assertThat(LabTrace.ssh(key, "deploy", two.requireAddress(), "true").exitCode()).isZero();
    lab.destroy(TWO, progress::add);
    assertThat(LabTrace.namespaces()).doesNotContain("gantry-" + TWO);
    if (Exec.run("ip", "-o", "link", "show").lines().noneMatch(l -> l.contains(": gantrylab"))) {
      // the last lab machine gone, its firewall rules go too
      assertThat(Exec.run("iptables", "-w", "-S", "FORWARD")).doesNotContain("gantrylab");
    }
  }

  @Test
  void aNameAlreadyTakenIsRefusedAndAFailedCreateLeavesNothing() throws Exception {
    Infrastructure infra = new Infrastructure();
    infra.host(TAKEN).provisionedBy(Cloud.lab());
    infra.host(BROKEN).user("Not A User").provisionedBy(Cloud.lab());
    lab.create(infra.requireHost(TAKEN), line -> { });

    assertThatThrownBy(() -> lab.create(infra.requireHost(TAKEN), line -> { }))
        .isInstanceOf(UserError.class)
        .hasMessage("lab host '" + TAKEN + "' exists already; `gantry cloud down " + TAKEN + "` removes it");

    Exec.run("ip", "netns", "add", "gantry-" + SQUATTER);
    try {
      infra.host(SQUATTER);
      assertThatThrownBy(() -> lab.create(infra.requireHost(SQUATTER), line -> { }))
          .hasMessageContaining("the network namespace 'gantry-" + SQUATTER + "' for lab host '" + SQUATTER + "' exists already");
    } finally {
      Exec.run("ip", "netns", "delete", "gantry-" + SQUATTER);
    }

    assertThatThrownBy(() -> lab.create(infra.requireHost(BROKEN), line -> { }))
        .isInstanceOf(UserError.class)
        .hasMessage("host '" + BROKEN + "': 'Not A User' is not a valid user name for the lab");
    Path dir = data.resolve("cloud/lab/hosts/" + BROKEN);
    assertThat(LabTrace.namespaces()).doesNotContain("gantry-" + BROKEN);
    assertThat(LabTrace.mountsUnder(dir)).isEmpty();
    assertThat(LabTrace.cgroupsOf(BROKEN)).isEmpty();
    assertThat(dir).doesNotExist();
    lab.destroy(TAKEN, line -> { });
  }

  @Test
  void aMissingOrMalformedKeyIsNamed() throws Exception {
    Infrastructure infra = new Infrastructure();
    infra.host(NOKEY);
    Files.writeString(tmp.resolve("bad.pub"), "not a key\n");
    LabProvider noKey = new LabProvider(data, Cloud.lab().authorizedKey(tmp.resolve("bad.pub")));
    assertThatThrownBy(() -> noKey.create(infra.requireHost(NOKEY), line -> { }))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("bad.pub is not one OpenSSH public key line");
    LabProvider noHome = new LabProvider(data, Cloud.lab(), java.util.Map.of("HOME", tmp.resolve("nohome").toString()));
    assertThatThrownBy(() -> noHome.create(infra.requireHost(NOKEY), line -> { }))
        .hasMessageContaining("lab host '" + NOKEY + "' needs a public key to authorize")
        .hasMessageContaining("ssh-keygen -t ed25519");
    assertThat(LabTrace.namespaces()).doesNotContain("gantry-" + NOKEY);
  }

  @Test
  void aMachineThatCannotBootFailsWithNspawnsWordsAndLeavesNothing() throws Exception {
    Path tree = unbootableTree(tmp.resolve("unbootable"));
    Infrastructure infra = new Infrastructure();
    infra.host(UNBOOTABLE);
    LabProvider broken = new LabProvider(data, Cloud.lab().authorizedKey(Path.of(key + ".pub")).rootfs(tree));

    assertThatThrownBy(() -> broken.create(infra.requireHost(UNBOOTABLE), line -> { }))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith("lab machine '" + UNBOOTABLE + "' stopped while booting; systemd-nspawn said: ")
        .hasMessageContaining("os-release");
    Path dir = data.resolve("cloud/lab/hosts/" + UNBOOTABLE);
    assertThat(LabTrace.namespaces()).doesNotContain("gantry-" + UNBOOTABLE);
    assertThat(LabTrace.cgroupsOf(UNBOOTABLE)).isEmpty();
    assertThat(LabTrace.mountsUnder(dir)).isEmpty();
    assertThat(dir).doesNotExist();
  }

  @Test
  void aCgroupOfTheMachinesNameThatGantryDidNotMakeIsRefused() throws Exception {
    Path squatted = MachineCgroups.forMachine(CGROUP_TAKEN).getFirst();
    Files.createDirectory(squatted);
    try {
      Infrastructure infra = new Infrastructure();
      infra.host(CGROUP_TAKEN);
      assertThatThrownBy(() -> lab.create(infra.requireHost(CGROUP_TAKEN), line -> { }))
          .isInstanceOf(UserError.class)
          .hasMessage("the cgroup " + squatted + " exists already; a lab machine of that name was not removed "
              + "(remove its processes, then `rmdir` it)");
      assertThat(squatted).as("the cgroup that was there is left alone").isDirectory();
      assertThat(LabTrace.cgroupsOf(CGROUP_TAKEN)).containsExactly(squatted.toString());
      assertThat(LabTrace.namespaces()).doesNotContain("gantry-" + CGROUP_TAKEN);
      assertThat(data.resolve("cloud/lab/hosts/" + CGROUP_TAKEN)).doesNotExist();
    } finally {
      Files.delete(squatted);
    }
  }

  /**
   * A tree that passes the base checks and takes the machine's configuration, but that nspawn
   * refuses to boot (no os-release): busybox for the shell tools, stubs for the rest.
   */
  private static Path unbootableTree(Path root) throws Exception {
    for (String d : List.of("bin", "usr/bin", "usr/sbin", "usr/lib/systemd", "etc/ssh/sshd_config.d", "etc/apt/apt.conf.d",
        "etc/systemd/system", "root", "proc", "sys", "dev", "run", "tmp")) {
      Files.createDirectories(root.resolve(d));
    }
    Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
    for (String applet : List.of("sh", "chown", "chmod", "rm")) {
      Files.createSymbolicLink(root.resolve("bin/" + applet), Path.of("busybox"));
    }
    for (String stub : List.of("usr/bin/ssh-keygen", "usr/sbin/sshd", "usr/lib/systemd/systemd")) {
      Files.writeString(root.resolve(stub), "#!/bin/sh\nexit 0\n");
      root.resolve(stub).toFile().setExecutable(true);
    }
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
    return root;
  }
}

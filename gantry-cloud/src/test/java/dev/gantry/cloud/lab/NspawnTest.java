package dev.gantry.cloud.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NspawnTest {
  static final LabHost WEB = new LabHost("web.lab", 3, "gantry-web-lab", "gantrylab3", "10.213.3.1", "10.213.3.2", 22,
      "root", "/data/cloud/lab/hosts/web-lab", "/base", List.of("/sys/fs/cgroup/memory/gantry-lab-web-lab"), "now");

  @Test
  void theMachineBootsInItsNamespaceWithWhatDockerNeeds() {
    assertThat(Nspawn.argv(WEB, "web-lab")).containsExactly("systemd-nspawn", "--boot", "--register=no", "--keep-unit",
        "--console=passive", "--directory=/data/cloud/lab/hosts/web-lab/root", "--machine=web-lab", "--hostname=web.lab",
        "--network-namespace-path=/run/netns/gantry-web-lab", "--capability=CAP_NET_ADMIN",
        "--system-call-filter=@keyring", "--bind=/data/cloud/lab/hosts/web-lab/docker:/var/lib/docker");
  }

  @Test
  void theLaunchJoinsTheMachinesCgroupsBeforeBecomingNspawn() {
    List<String> cmd = Nspawn.launch(WEB, "web-lab", WEB.cgroupPaths());
    assertThat(cmd.subList(0, 4)).containsExactly("setsid", "-f", "sh", "-c");
    assertThat(cmd.subList(5, 10)).containsExactly("gantry-lab-launch", "/data/cloud/lab/hosts/web-lab/console.log",
        "/data/cloud/lab/hosts/web-lab/nspawn.pid", "1", "/sys/fs/cgroup/memory/gantry-lab-web-lab");
    assertThat(cmd.get(10)).isEqualTo("systemd-nspawn");
  }

  @Test
  void aTreeWithoutSystemdOrSshdCannotBeAMachinesBase(@TempDir Path tmp) throws Exception {
    assertThatThrownBy(() -> BaseRootfs.requireTree(tmp, "GANTRY_LAB_ROOTFS"))
        .isInstanceOf(UserError.class)
        .hasMessage("GANTRY_LAB_ROOTFS: " + tmp + " cannot boot a lab machine: it has no usr/lib/systemd/systemd "
            + "(a Debian root filesystem with systemd and openssh-server is needed; scripts/lab-rootfs makes one)");
    Path systemd = Files.createDirectories(tmp.resolve("usr/lib/systemd")).resolve("systemd");
    Files.writeString(systemd, "");
    systemd.toFile().setExecutable(true);
    assertThatThrownBy(() -> BaseRootfs.requireTree(tmp, "lab().rootfs(...)"))
        .hasMessageContaining("it has no usr/sbin/sshd");
  }
}

package dev.gantry.cloud.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MachineCgroupsTest {
  static final Path ROOT = Path.of("/sys/fs/cgroup");

  @Test
  void aMachinesCgroupsGoBelowTheLaunchersOwnInEachHierarchy() {
    List<String> mounts = List.of(
        "proc /proc proc rw 0 0",
        "cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,nosuid,cpu,cpuacct 0 0",
        "cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0",
        "cgroup /sys/fs/cgroup/systemd cgroup rw,relatime,xattr,name=systemd 0 0",
        "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0",
        "cgroup /elsewhere/pids cgroup rw,pids 0 0");
    List<String> self = List.of("4:memory:/process_api/abc", "2:cpu,cpuacct:/", "1:name=systemd:/user.slice", "0::/",
        "3:pids:/");

    assertThat(MachineCgroups.plan(mounts, self, ROOT, "gantry-lab-web")).containsExactly(
        Path.of("/sys/fs/cgroup/cpu,cpuacct/gantry-lab-web"),
        Path.of("/sys/fs/cgroup/memory/process_api/abc/gantry-lab-web"),
        Path.of("/sys/fs/cgroup/systemd/user.slice/gantry-lab-web"),
        Path.of("/sys/fs/cgroup/unified/gantry-lab-web"));
  }

  @Test
  void aMachineWithoutCgroupsMountedIsRefusedByName() {
    assertThatThrownBy(() -> MachineCgroups.plan(List.of("proc /proc proc rw 0 0"), List.of("0::/"), ROOT, "x"))
        .isInstanceOf(UserError.class)
        .hasMessage("lab machines need cgroups: nothing of type cgroup is mounted under /sys/fs/cgroup");
  }
}

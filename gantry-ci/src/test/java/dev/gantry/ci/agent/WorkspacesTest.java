package dev.gantry.ci.agent;

import static dev.gantry.ci.testing.GitFixture.git;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.api.JobOffer;
import dev.gantry.ci.pipeline.StepSpec;
import dev.gantry.ci.testing.GitFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspacesTest {
  @TempDir Path tmp;

  @Test
  void candidatesAreCheckedOutReusedWhenIncrementalAndOldOnesCollectedButNotThoseInUse() throws Exception {
    GitFixture fx = new GitFixture(tmp);
    Path central = fx.central("app", "README", "x\n");
    Path dev = fx.clone(central, "dev");
    Workspaces ws = new Workspaces(tmp.resolve("work"));
    Path[] dirs = new Path[6];
    for (int i = 1; i <= 5; i++) {
      GitFixture.write(dev, "README", "v" + i + "\n");
      String sha = GitFixture.commitAll(dev, "v" + i);
      git(dev, "push", "-q", "origin", "HEAD:refs/gantry/candidates/" + i);
      JobOffer offer = new JobOffer(i, i, false, central.toString(), "refs/gantry/candidates/" + i, sha, StepSpec.shell("s", "true"), List.of(), "u");
      dirs[i] = ws.acquire(offer, i == 2);
      assertThat(Files.readString(dirs[i].resolve("README"))).isEqualTo("v" + i + "\n");
      if (i == 1) {
        Files.writeString(dirs[1].resolve("build-output"), "kept");
      }
      if (i != 4) {
        ws.release(dirs[i]);
      }
      Thread.sleep(20);
    }
    // candidate 2 was incremental: it took over candidate 1's workspace with its build output
    assertThat(Files.exists(dirs[1])).isFalse();
    assertThat(Files.readString(dirs[2].resolve("build-output"))).isEqualTo("kept");
    // four workspaces remain (2..5); keep the 3 newest, and 4 is in use anyway
    Files.setLastModifiedTime(dirs[4], java.nio.file.attribute.FileTime.fromMillis(0));
    assertThat(ws.collectGarbage()).isEqualTo(0);
    Files.setLastModifiedTime(dirs[2], java.nio.file.attribute.FileTime.fromMillis(1));
    ws.release(dirs[4]);
    assertThat(ws.collectGarbage()).isEqualTo(1);
    assertThat(Files.exists(dirs[4])).isFalse();
    assertThat(Files.exists(dirs[5])).isTrue();
  }
}

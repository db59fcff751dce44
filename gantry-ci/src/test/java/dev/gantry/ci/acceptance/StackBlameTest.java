package dev.gantry.ci.acceptance;

import static dev.gantry.ci.testing.CiFixture.await;
import static dev.gantry.ci.testing.GitFixture.commitAll;
import static dev.gantry.ci.testing.GitFixture.git;
import static dev.gantry.ci.testing.GitFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.queue.PatchState;
import dev.gantry.ci.testing.CiFixture;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stack of commits pushed as one patch and rejected: the rejection names the commit that broke it. */
class StackBlameTest {
  @TempDir Path tmp;
  CiFixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void aRejectedStackNamesItsFirstCommitThatFailsTheStep() throws Exception {
    fx = CiFixture.create(tmp).startServer(0);
    fx.agent("agent-1");
    git(fx.dev, "fetch", "-q", "origin");
    git(fx.dev, "checkout", "-q", "-B", "review/stack", "origin/master");
    write(fx.dev, "src/a.txt", "a, better\n");
    commitAll(fx.dev, "first: fine");
    write(fx.dev, "src/b.txt", "BROKEN\n");
    String breaking = commitAll(fx.dev, "second: breaks the tests");
    write(fx.dev, "src/c.txt", "c, better\n");
    String tip = commitAll(fx.dev, "third: fine again");
    git(fx.dev, "push", "-q", "origin", "HEAD:refs/heads/review/stack");

    await("the stack to be rejected", Duration.ofSeconds(120), () -> fx.ci().state().patches().size() == 1 && fx.stateOf(tip) == PatchState.REJECTED);
    String reason = fx.patch(tip).reason();
    assertThat(reason).startsWith("breaks step 'test'").endsWith("the first of its 3 commits that fails it: " + breaking.substring(0, 12) + " (commit 2)");
    assertThat(fx.get("/ci/patches/" + fx.patch(tip).id())).contains(breaking.substring(0, 12));
    assertThat(fx.slack.awaitRequests(1, Duration.ofSeconds(30)).get(0).bodyText()).contains(breaking.substring(0, 12));
  }
}

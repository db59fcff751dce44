package dev.gantry.core.target;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.testing.Processes;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Commands of the local target. */
class LocalTargetTest {
  @Test
  void runsCommandsWithStdinAndReportsExitCodes() {
    ProcessResult r = new LocalTarget().run(List.of("cat"), "piped".getBytes(UTF_8));
    assertThat(r.ok()).isTrue();
    assertThat(r.stdout()).isEqualTo("piped");
    assertThat(new LocalTarget().run("sh", "-c", "echo oops >&2; exit 3").tail()).isEqualTo("oops");
    assertThat(new LocalTarget().run("/no/such/binary").exitCode()).isEqualTo(127);
  }

  @Test
  void aTimeoutKillsAGrandchildThatReParented() {
    ProcessResult r = new LocalTarget(Duration.ofSeconds(1))
        .run("sh", "-c", Processes.ORPHAN_THEN_SLEEP);

    assertThat(r.timedOut()).isTrue();
    assertThat(r.ok()).isFalse();
    assertThat(r.tail()).contains("timed out after");
    long grandchild = Long.parseLong(r.stdout().strip());
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !Processes.running(grandchild));
  }
}
